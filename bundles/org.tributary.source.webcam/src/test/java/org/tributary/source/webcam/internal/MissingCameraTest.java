package org.tributary.source.webcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.tributary.api.EndReason;
import org.tributary.source.webcam.internal.CaptureSettings.Driver;

/** The library's own driver on a machine with no camera 7 (this one has none at all). */
class MissingCameraTest {

    @Test
    void aMissingCameraFailsTheStreamNamingStreamAndDevice() throws Exception {
        Cameras.acquire();
        WebcamSource source = new WebcamSource(new CaptureSettings("cam", Driver.DEFAULT, "7", 640, 480, 15, 0.8));
        RecordingSink sink = new RecordingSink();
        try {
            long started = System.nanoTime();
            source.start(sink);

            assertTrue(sink.awaitEnd(Duration.ofSeconds(60)), "no end within 60 s");
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(EndReason.FAILED, sink.reason());
            assertTrue(sink.detail().startsWith("stream cam: no camera '7' (driver default): "), sink.detail());
            assertEquals(0, sink.count());
            System.out.println("missing camera: " + sink.detail() + " after " + millis + " ms");
        } finally {
            source.close();
            Cameras.release();
        }
    }
}
