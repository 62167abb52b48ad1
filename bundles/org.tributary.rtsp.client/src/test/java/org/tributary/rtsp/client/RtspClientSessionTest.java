package org.tributary.rtsp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication, errors, transport fallback and the ends of a session, against gst-rtsp-server. */
class RtspClientSessionTest {

    private static Path clip;

    @BeforeAll
    static void makeClip() throws Exception {
        // Matroska carries the frame times, so the server sends the clip paced over 2 s, as a file plays.
        clip = Path.of("target", "test-tools", "clip-50.mkv").toAbsolutePath();
        Files.createDirectories(clip.getParent());
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-y", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-frames:v", "50", "-c:v", "mjpeg", "-huffman", "default", "-q:v", "5", "-pix_fmt",
                "yuvj420p", "-f", "matroska", clip.toString()).redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        assertEquals(0, ffmpeg.waitFor(), output);
    }

    @Test
    void basicAuthenticationWithCredentialsFromTheUrl() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE, "basic", "viewer", "s3cret")) {
            Recorder recorder = new Recorder();
            try (RtspClient client = RtspClient.start(server.url("viewer:s3cret"), RtspClientOptions.defaults(),
                    recorder)) {
                assertTrue(recorder.awaitFrames(10, 60_000), "frames: " + recorder.count());
                assertTrue(recorder.count() >= 10, "frames: " + recorder.count());
            }
        }
    }

    @Test
    void digestAuthenticationWithCredentialsFromTheOptions() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE, "digest", "viewer", "s3cret")) {
            Recorder recorder = new Recorder();
            RtspClientOptions options = RtspClientOptions.builder().credentials("viewer", "s3cret")
                    .transport(LowerTransport.TCP).build();
            try (RtspClient client = RtspClient.start(server.url(), options, recorder)) {
                assertTrue(recorder.awaitFrames(10, 60_000), "frames: " + recorder.count());
                assertTrue(recorder.count() >= 10, "frames: " + recorder.count());
                RtspClientPlaybackTest.assertEveryFrameDecodes(recorder.snapshot());
            }
        }
    }

    @Test
    void missingOrWrongCredentialsAreRtspException401() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE, "digest", "viewer", "s3cret")) {
            RtspException none = assertThrows(RtspException.class,
                    () -> RtspClient.start(server.url(), RtspClientOptions.defaults(), new Recorder()));
            assertEquals(401, none.status());
            assertTrue(none.getMessage().contains("credentials"), none.getMessage());

            RtspException wrong = assertThrows(RtspException.class,
                    () -> RtspClient.start(server.url("viewer:guess"), RtspClientOptions.defaults(), new Recorder()));
            assertEquals(401, wrong.status());
        }
    }

    @Test
    void unknownPathIsRtspException404() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE);
                RtspClient client = new RtspClient(server.url() + "-missing", RtspClientOptions.defaults())) {
            client.connect();
            RtspException e = assertThrows(RtspException.class, client::describe);
            assertEquals(404, e.status());
            assertEquals("Not Found", e.reason());
        }
    }

    @Test
    void udpRefusedWith461FallsBackToTcp() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE, "tcp-only")) {
            Recorder recorder = new Recorder();
            try (RtspClient client = RtspClient.start(server.url(), RtspClientOptions.defaults(), recorder)) {
                assertTrue(recorder.awaitFrames(10, 60_000), "frames: " + recorder.count());
                assertEquals(LowerTransport.TCP, client.transport());
                assertTrue(recorder.count() >= 10, "frames: " + recorder.count());
            }
        }
    }

    @Test
    void aFileThatEndsDeliversEveryFrameThenByeEndsTheStream() throws Exception {
        // RFC 2435 carries only the standard Huffman tables: the clip is made with them (-huffman default).
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.jpegClip(clip))) {
            Recorder recorder = new Recorder();
            // Every frame is the point, not UDP: over TCP none can be lost on the way.
            RtspClientOptions tcp = RtspClientOptions.builder().transport(LowerTransport.TCP).build();
            try (RtspClient client = RtspClient.start(server.url(), tcp, recorder)) {
                String reason = recorder.end.get(60, TimeUnit.SECONDS);

                assertTrue(reason.startsWith("server sent BYE"), reason);
                assertEquals(50, recorder.count());
                assertTrue(client.statistics().byeReceived());
                assertEquals(50, client.statistics().frames());
                RtspClientPlaybackTest.assertEveryFrameDecodes(recorder.snapshot());
            }
        }
    }

    @Test
    void aServerThatDiesIsReportedAsTheEnd() throws Exception {
        GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE);
        Recorder recorder = new Recorder();
        try (RtspClient client = RtspClient.start(server.url(), RtspClientOptions.defaults(), recorder)) {
            assertTrue(recorder.awaitFrames(5, 60_000), "frames: " + recorder.count());
            server.kill();
            String reason = recorder.end.get(30, TimeUnit.SECONDS);
            assertTrue(reason.contains("lost"), reason);
        } finally {
            server.close();
        }
    }

    @Test
    void closeStopsEveryThreadTheClientStarted() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE)) {
            for (LowerTransport transport : LowerTransport.values()) {
                Recorder recorder = new Recorder();
                RtspClient client = RtspClient.start(server.url(),
                        RtspClientOptions.builder().transport(transport).build(), recorder);
                assertTrue(recorder.awaitFrames(3, 60_000), "frames: " + recorder.count());
                assertFalse(clientThreads().isEmpty());
                client.close();
                assertEquals(List.of(), clientThreads(), transport + " left threads running");
                int after = recorder.count();
                Thread.sleep(200);
                assertEquals(after, recorder.count(), "frames after close");
            }
        }
    }

    @Test
    void teardownEndsTheSessionWithoutAnEndEvent() throws Exception {
        try (GstRtspServer server = GstRtspServer.start(GstRtspServer.LIVE)) {
            Recorder recorder = new Recorder();
            try (RtspClient client = RtspClient.start(server.url(), RtspClientOptions.defaults(), recorder)) {
                assertTrue(recorder.awaitFrames(3, 60_000), "frames: " + recorder.count());
                assertTrue(client.sessionId() != null);
                client.teardown();
                assertEquals(null, client.sessionId());
                int after = recorder.count();
                Thread.sleep(300);
                assertEquals(after, recorder.count(), "frames after TEARDOWN");
                assertThrows(IllegalStateException.class, client::play);
            }
            assertFalse(recorder.end.isDone());
        }
    }

    private static List<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tributary-rtsp-client-")).toList();
    }
}
