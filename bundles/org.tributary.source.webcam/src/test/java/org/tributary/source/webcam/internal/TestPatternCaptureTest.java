package org.tributary.source.webcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tributary.source.webcam.internal.Jpegs.assertRtpJpeg;
import static org.tributary.source.webcam.internal.Jpegs.ourThreads;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.MediaInfo;
import org.tributary.source.webcam.internal.CaptureSettings.Driver;

import com.github.sarxos.webcam.Webcam;

/** The test pattern driver through the real Webcam Capture API, as the stream core drives a source. */
class TestPatternCaptureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<WebcamSource> sources = new ArrayList<>();

    @BeforeEach
    void installDriver() {
        Cameras.acquire();
    }

    @AfterEach
    void closeSources() throws Exception {
        sources.forEach(WebcamSource::close);
        for (Webcam webcam : Webcam.getWebcams(1000)) {
            if (webcam.getDevice() instanceof TestPatternDevice device) {
                device.setDisconnected(false);
            }
        }
        Cameras.release();
    }

    private WebcamSource source(String name, String device, int width, int height, double frameRate) {
        WebcamSource source = new WebcamSource(
                new CaptureSettings(name, Driver.TEST_PATTERN, device, width, height, frameRate, 0.8));
        sources.add(source);
        return source;
    }

    @Test
    void deliversFramesAtTheConfiguredRateWithCaptureTimestamps() throws Exception {
        WebcamSource source = source("rate", "0", 640, 480, 15);
        RecordingSink sink = new RecordingSink();

        source.start(sink);
        assertTrue(sink.awaitFrames(31, WAIT), "31 frames did not come: " + sink.detail());
        source.stop();

        List<Frame> frames = sink.frames();
        long[] gaps = new long[30];
        for (int i = 1; i <= 30; i++) {
            Frame frame = frames.get(i);
            assertEquals(i, frame.index());
            assertTrue(frame.keyframe());
            assertTrue(frame.timestampNanos() > frames.get(i - 1).timestampNanos(), "timestamps must increase");
            gaps[i - 1] = frame.timestampNanos() - frames.get(i - 1).timestampNanos();
        }
        Arrays.sort(gaps);
        double median = gaps[15] / 1e6;
        assertEquals(1000 / 15.0, median, 8, "median time between frames at 15 frames/s, ms");
        double seconds = (frames.get(30).timestampNanos() - frames.get(0).timestampNanos()) / 1e9;
        assertEquals(2.0, seconds, 0.25, "30 frame periods at 15 frames/s");
    }

    @Test
    void everyFrameIsBaseline420JpegThatRtpJpegCarriesAndPicturesMove() throws Exception {
        WebcamSource source = source("jpeg", "0", 640, 480, 30);
        RecordingSink sink = new RecordingSink();

        source.start(sink);
        assertTrue(sink.awaitFrames(20, WAIT), "20 frames did not come: " + sink.detail());
        source.stop();

        BufferedImage previous = null;
        for (Frame frame : sink.frames()) {
            BufferedImage image = assertRtpJpeg(frame.data(), 640, 480);
            if (previous != null) {
                assertTrue(differingPixels(previous, image) > 1000, "the pattern must move between frames");
            }
            previous = image;
        }
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        int count = 0;
        for (int y = 0; y < a.getHeight(); y += 2) {
            for (int x = 0; x < a.getWidth(); x += 2) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void requestedSizeIsCapturedAndReportedInMediaInfo() throws Exception {
        WebcamSource source = source("small", "1", 320, 240, 15);
        RecordingSink sink = new RecordingSink();
        assertEquals(MediaInfo.jpeg(320, 240, 15, null), source.info());

        source.start(sink);
        assertTrue(sink.awaitFrames(2, WAIT), "no frames: " + sink.detail());
        source.stop();

        assertRtpJpeg(sink.frames().get(0).data(), 320, 240);
        assertEquals(320, source.info().width());
        assertEquals(240, source.info().height());
    }

    @Test
    void cameraIsFoundByName() throws Exception {
        WebcamSource source = source("named", "Tributary test pattern 2", 176, 144, 15);
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitFrames(2, WAIT), "no frames: " + sink.detail());
    }

    @Test
    void stopClosesTheCameraAndLeavesNoThreadOfOurs() throws Exception {
        WebcamSource source = source("threads", "0", 640, 480, 30);
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        assertTrue(sink.awaitFrames(3, WAIT), "no frames: " + sink.detail());
        assertFalse(ourThreads().isEmpty(), "the capture thread should run while capturing");

        source.stop();
        int delivered = sink.count();
        Thread.sleep(300);

        assertEquals(Set.of(), ourThreads());
        assertEquals(delivered, sink.count(), "no frame after stop returned");
        assertEquals(0, sink.ends(), "stop sends no end");
        assertFalse(Webcam.getWebcams(1000).get(0).isOpen(), "the camera must be closed");
    }

    @Test
    void restartedFeedCapturesAgain() throws Exception {
        WebcamSource source = source("again", "0", 320, 240, 30);
        RecordingSink first = new RecordingSink();
        source.start(first);
        assertTrue(first.awaitFrames(2, WAIT), "no frames: " + first.detail());
        source.stop();

        RecordingSink second = new RecordingSink();
        source.start(second);

        assertTrue(second.awaitFrames(2, WAIT), "no frames after a restart: " + second.detail());
        assertEquals(0, second.frames().get(0).index());
    }

    @Test
    void unpluggedCameraFailsTheStreamNamingTheCamera() throws Exception {
        WebcamSource source = source("unplug", "3", 320, 240, 30);
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        assertTrue(sink.awaitFrames(2, WAIT), "no frames: " + sink.detail());

        TestPatternDevice device = (TestPatternDevice) Webcam.getWebcams(1000).stream()
                .filter(w -> w.getName().equals("Tributary test pattern 3")).findFirst().orElseThrow().getDevice();
        device.setDisconnected(true);

        assertTrue(sink.awaitEnd(Duration.ofMillis(Capture.STALL_MILLIS + 60_000)), "the feed did not end");
        assertEquals(EndReason.FAILED, sink.reason());
        assertTrue(sink.detail().contains("Tributary test pattern 3") && sink.detail().contains("unplug"),
                sink.detail());
        assertTrue(sink.detail().contains("unplug"), sink.detail());
    }

    @Test
    void cameraServesOneStreamAndTheSecondIsToldWhoHasIt() throws Exception {
        WebcamSource first = source("first", "0", 320, 240, 15);
        WebcamSource second = source("second", "0", 320, 240, 15);
        RecordingSink firstSink = new RecordingSink();
        RecordingSink secondSink = new RecordingSink();
        first.start(firstSink);
        assertTrue(firstSink.awaitFrames(1, WAIT), "no frames: " + firstSink.detail());

        second.start(secondSink);

        assertTrue(secondSink.awaitEnd(WAIT), "the second feed did not end");
        assertEquals(EndReason.FAILED, secondSink.reason());
        assertTrue(secondSink.detail().contains("in use by stream first"), secondSink.detail());
        int before = firstSink.count();
        assertTrue(firstSink.awaitFrames(before + 2, WAIT), "the first stream must go on");
    }

    @Test
    void unknownTestPatternCameraFailsListingTheCameras() throws Exception {
        WebcamSource source = source("nosuch", "9", 320, 240, 15);
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT), "the feed did not end");
        assertEquals(EndReason.FAILED, sink.reason());
        assertTrue(sink.detail().startsWith("stream nosuch: no camera '9' (driver test-pattern): found 4: "),
                sink.detail());
    }
}
