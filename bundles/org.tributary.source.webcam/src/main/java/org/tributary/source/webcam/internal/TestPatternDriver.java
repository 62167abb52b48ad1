package org.tributary.source.webcam.internal;

import java.util.List;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamDriver;

/**
 * A Webcam Capture driver whose cameras draw their pictures: the way to run and test the webcam source without a
 * camera or a display. Offers {@value #CAMERAS} cameras, named {@code Tributary test pattern 0} and so on, so that
 * several streams can each have one.
 */
final class TestPatternDriver implements WebcamDriver {

    /** How many test pattern cameras there are. */
    static final int CAMERAS = 4;

    private final List<WebcamDevice> devices;

    TestPatternDriver() {
        TestPatternDevice[] all = new TestPatternDevice[CAMERAS];
        for (int i = 0; i < CAMERAS; i++) {
            all[i] = new TestPatternDevice("Tributary test pattern " + i);
        }
        devices = List.of(all);
    }

    @Override
    public List<WebcamDevice> getDevices() {
        return devices;
    }

    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public String toString() {
        return "test-pattern";
    }
}
