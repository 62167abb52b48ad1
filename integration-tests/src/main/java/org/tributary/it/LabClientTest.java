package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The classic RTSP lab client plays movie.Mjpeg exactly as it always has. */
class LabClientTest {

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    @Test
    void labClientSetsUpPlaysPausesResumesAndTearsDownWithWholeFrames() throws Exception {
        try (LabClient client = new LabClient("127.0.0.1", runtime.rtspPort(), "movie.Mjpeg")) {
            LabClient.Reply setup = client.setup();
            assertEquals(200, setup.status(), setup.raw());
            assertEquals(1, setup.cseq());
            assertTrue(setup.session() > 0, "a numeric session id on line 3: " + setup.raw());
            assertEquals(3, setup.raw().strip().split("\n").length, "exactly status, CSeq and Session: " + setup.raw());

            assertEquals(200, client.play().status());
            List<LabClient.LabFrame> first = client.receive(25, PATIENCE);
            assertEquals(25, first.size(), "frames after PLAY");
            for (LabClient.LabFrame f : first) {
                Media.decode(f.jpeg()); // a whole JPEG in every datagram
            }
            for (int i = 1; i < first.size(); i++) {
                assertEquals(first.get(i - 1).frameNumber() + 1, first.get(i).frameNumber(), "frame numbers count up");
            }

            assertEquals(200, client.pause().status());
            client.receive(200); // frames already on the wire when PAUSE was answered
            List<LabClient.LabFrame> paused = client.receive(1000);
            assertTrue(paused.isEmpty(), "no frame while paused, got " + paused.size());

            assertEquals(200, client.play().status());
            List<LabClient.LabFrame> resumed = client.receive(1, PATIENCE);
            assertFalse(resumed.isEmpty(), "frames again after PLAY");
            int last = first.get(first.size() - 1).frameNumber();
            assertTrue(resumed.get(0).frameNumber() > last, "resumes after where it paused");

            LabClient.Reply teardown = client.teardown();
            assertEquals(200, teardown.status(), teardown.raw());
            client.receive(200);
            assertTrue(client.receive(800).isEmpty(), "no frame after TEARDOWN");
        }
    }
}
