package org.tributary.source.webcam.internal;

import java.util.ArrayList;
import java.util.List;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamDriver;

/**
 * The one driver this bundle gives Webcam Capture, which has a single global driver and disposes every open camera
 * when it changes: the test pattern cameras, plus the machine's cameras through the library's own driver once a
 * stream has asked for one. A runtime that never uses a real camera never loads BridJ's native code, and a camera
 * stream and a test pattern stream can run side by side.
 */
final class CombinedDriver implements WebcamDriver {

    private static final String DEFAULT_DRIVER = "com.github.sarxos.webcam.ds.buildin.WebcamDefaultDriver";

    private final TestPatternDriver testPattern = new TestPatternDriver();
    private volatile WebcamDriver cameras;
    private volatile RuntimeException camerasFailed;

    /** Adds the machine's cameras to the devices; loads the library's default driver the first time. */
    synchronized void enableCameras() {
        if (cameras != null) {
            return;
        }
        try {
            // Its package is not exported; the library's own class loader can still reach it.
            Class<?> type = WebcamDriver.class.getClassLoader().loadClass(DEFAULT_DRIVER);
            cameras = (WebcamDriver) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("Webcam Capture's camera driver cannot be loaded: " + e, e);
        }
    }

    /** The devices of the test pattern driver. */
    List<WebcamDevice> testPatternDevices() {
        return testPattern.getDevices();
    }

    /**
     * Why listing the machine's cameras failed the last time, or null; a failure lists no camera rather than
     * hiding the test pattern cameras too.
     */
    RuntimeException camerasFailed() {
        return camerasFailed;
    }

    @Override
    public List<WebcamDevice> getDevices() {
        List<WebcamDevice> all = new ArrayList<>(testPattern.getDevices());
        WebcamDriver machine = cameras;
        if (machine != null) {
            try {
                all.addAll(machine.getDevices());
                camerasFailed = null;
            } catch (RuntimeException e) {
                camerasFailed = e;
            }
        }
        return all;
    }

    /**
     * The library's camera driver needs every call on one thread, which the library then provides; the test
     * pattern does not, so until a camera is used no such thread exists.
     */
    @Override
    public boolean isThreadSafe() {
        return cameras == null;
    }

    @Override
    public String toString() {
        return "Tributary (test-pattern" + (cameras == null ? "" : ", default") + ")";
    }
}
