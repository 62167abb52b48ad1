package org.tributary.rtsp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;

/** Plays a live JPEG stream from GStreamer's RTSP server over both transports. */
class RtspClientPlaybackTest {

    private static GstRtspServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = GstRtspServer.start(GstRtspServer.LIVE);
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void playsLiveJpegOverUdpAndEveryFrameDecodes() throws Exception {
        Recorder recorder = new Recorder();
        try (RtspClient client = RtspClient.start(server.url(), RtspClientOptions.defaults(), recorder)) {
            Thread.sleep(2500);
            ReceiverStatistics stats = client.statistics();
            List<ReceivedFrame> frames = recorder.snapshot();

            assertEquals(LowerTransport.UDP, client.transport());
            assertTrue(client.serverMethods().contains("GET_PARAMETER"), client.serverMethods().toString());
            assertTrue(frames.size() >= 40, "frames in 2.5 s at 25 fps: " + frames.size());
            assertEveryFrameDecodes(frames);
            assertPresentationTimesFollowTheFrameRate(frames);
            assertEquals(0, stats.packetsLost(), stats.toString());
            assertEquals(0, stats.droppedFrames(), stats.toString());
            assertTrue(stats.frames() >= frames.size(), stats + " vs " + frames.size());
            assertTrue(stats.framesPerSecond() >= 20 && stats.framesPerSecond() <= 30, stats.toString());
            assertTrue(stats.bitsPerSecond() > 100_000, stats.toString());
            assertTrue(stats.packets() >= stats.frames(), stats.toString());
            assertTrue(stats.lastSequence() >= 0, stats.toString());
            assertTrue(stats.jitterMillis() < 20, stats.toString());
            assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
            assertTrue(recorder.callbackThreads.stream().allMatch(n -> n.startsWith("tributary-rtsp-client-udp-")),
                    recorder.callbackThreads.toString());
            System.out.println("UDP: " + stats);
        }
        assertTrue(!recorder.end.isDone(), "closing by the program is not an end of stream");
    }

    @Test
    void playsLiveJpegOverTcpInterleaved() throws Exception {
        Recorder recorder = new Recorder();
        RtspClientOptions tcp = RtspClientOptions.builder().transport(LowerTransport.TCP).build();
        try (RtspClient client = RtspClient.start(server.url(), tcp, recorder)) {
            Thread.sleep(2500);
            ReceiverStatistics stats = client.statistics();
            List<ReceivedFrame> frames = recorder.snapshot();

            assertEquals(LowerTransport.TCP, client.transport());
            assertTrue(frames.size() >= 40, "frames in 2.5 s at 25 fps: " + frames.size());
            assertEveryFrameDecodes(frames);
            assertEquals(0, stats.packetsLost(), stats.toString());
            assertTrue(stats.framesPerSecond() >= 20 && stats.framesPerSecond() <= 30, stats.toString());
            assertTrue(recorder.callbackThreads.stream().allMatch(n -> n.startsWith("tributary-rtsp-client-rtsp-")),
                    recorder.callbackThreads.toString());
            System.out.println("TCP: " + stats);
        }
    }

    @Test
    void pauseStopsTheFramesAndPlayResumesThem() throws Exception {
        Recorder recorder = new Recorder();
        try (RtspClient client = RtspClient.start(server.url(), RtspClientOptions.defaults(), recorder)) {
            recorder.awaitFrames(10, 5000);
            client.pause();
            Thread.sleep(300); // packets already on their way
            int atPause = recorder.count();
            Thread.sleep(1000);
            int duringPause = recorder.count() - atPause;
            client.play();
            Thread.sleep(1000);
            int afterResume = recorder.count() - atPause - duringPause;

            assertTrue(duringPause <= 1, "frames while paused: " + duringPause);
            assertTrue(afterResume >= 15, "frames in the second after PLAY: " + afterResume);
        }
    }

    @Test
    void describeGivesTheServersTracks() throws Exception {
        try (RtspClient client = new RtspClient(server.url(), RtspClientOptions.defaults())) {
            client.connect();
            var sdp = client.describe();
            assertEquals(1, sdp.media().size());
            assertEquals("JPEG", sdp.media().get(0).encodingName());
            assertEquals(26, sdp.media().get(0).payloadType());
            assertEquals(null, client.sessionId());
        }
    }

    static void assertEveryFrameDecodes(List<ReceivedFrame> frames) throws Exception {
        for (ReceivedFrame frame : frames) {
            assertEquals(Codec.JPEG, frame.codec());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(frame.toByteArray()));
            assertNotNull(image, "frame does not decode: " + frame);
            assertEquals(320, image.getWidth());
            assertEquals(240, image.getHeight());
        }
    }

    private static void assertPresentationTimesFollowTheFrameRate(List<ReceivedFrame> frames) {
        assertEquals(0, frames.get(0).presentationTimeNanos());
        for (int i = 1; i < frames.size(); i++) {
            long step = frames.get(i).presentationTimeNanos() - frames.get(i - 1).presentationTimeNanos();
            assertTrue(Math.abs(step - 40_000_000L) < 2_000_000L, "frame " + i + " comes " + step + " ns after");
        }
    }
}
