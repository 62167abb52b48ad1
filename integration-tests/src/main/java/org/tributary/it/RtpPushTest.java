package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;

/**
 * An RTP push (no RTSP) of the live H.264 {@code /stream} to a port on this machine plays in GStreamer, given
 * only the caps, and in FFmpeg, given only the SDP the server wrote for it; the push is a session until kicked.
 */
class RtpPushTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(40);

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        GstreamerStreams.install(runtime);
    }

    @AfterAll
    static void stop() throws Exception {
        GstreamerStreams.remove(runtime);
    }

    @Test
    void gstreamerDecodesAPushToItsPort(@TempDir Path dir) throws Exception {
        int port = TributaryRuntime.freeUdpPort();
        Path log = dir.resolve("gst.log");
        Process receiver = new ProcessBuilder("gst-launch-1.0", "udpsrc", "port=" + port,
                "caps=application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96", "!",
                "rtph264depay", "!", "avdec_h264", "!", "fakesink", "num-buffers=60")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Sessions sessions = GstreamerStreams.sessions(runtime);
        SessionInfo push = null;
        try {
            awaitOutput(log, "Setting pipeline to PLAYING", Duration.ofSeconds(10));
            push = sessions.push(GstreamerStreams.H264, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertTrue(receiver.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "gst-launch finished");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, receiver.exitValue(), output);
            assertTrue(output.contains("Got EOS"), "60 frames decoded:\n" + Processes.tail(output));
            assertFalse(output.contains("ERROR") || output.contains("WARNING"), Processes.tail(output));

            String id = push.id();
            SessionInfo listed = sessions.list().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
            assertEquals("RTP/AVP", listed.transport());
            assertEquals(port, listed.client().getPort());
            assertTrue(listed.stats().packets() > 60, "packets sent: " + listed.stats());
        } finally {
            receiver.destroyForcibly().waitFor();
            if (push != null) {
                assertTrue(sessions.kick(push.id()), "kick ends the push");
            }
        }
        SessionInfo ended = push;
        assertTrue(sessions.list().stream().noneMatch(s -> s.id().equals(ended.id())));
        assertTrue(sessions.pushDescription(ended.id()).isEmpty());
    }

    @Test
    void ffmpegDecodesAPushFromTheSdpTheServerWrote(@TempDir Path dir) throws Exception {
        int port = evenFreeUdpPort();
        Sessions sessions = GstreamerStreams.sessions(runtime);
        SessionInfo push = sessions.push(GstreamerStreams.H264,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        try {
            String sdp = sessions.pushDescription(push.id()).orElseThrow();
            assertTrue(sdp.contains("\r\nc=IN IP4 127.0.0.1\r\n") && sdp.contains("\r\nm=video " + port + " RTP/AVP 96\r\n")
                    && sdp.contains("sprop-parameter-sets="), sdp);
            Path file = Files.writeString(dir.resolve("push.sdp"), sdp, StandardCharsets.UTF_8);

            Processes.Result r = Processes.run(CLIENT_TIMEOUT, List.of("ffmpeg", "-nostdin", "-v", "error",
                    "-protocol_whitelist", "file,udp,rtp", "-i", file.toString(), "-frames:v", "60", "-f", "framemd5",
                    "-"));
            assertTrue(r.ok(), r.output());
            GstreamerLiveTest.assertDecodedCleanly(60, r.output());
        } finally {
            sessions.kick(push.id());
        }
    }

    /** FFmpeg takes the SDP's port for RTP and the next one for RTCP, and wants the RTP port even. */
    private static int evenFreeUdpPort() throws Exception {
        for (int i = 0; i < 50; i++) {
            int port = TributaryRuntime.freeUdpPort() & ~1;
            try (var rtp = new java.net.DatagramSocket(port); var rtcp = new java.net.DatagramSocket(port + 1)) {
                return port;
            } catch (java.net.SocketException taken) {
                // Try another pair.
            }
        }
        throw new AssertionError("no free pair of UDP ports");
    }

    private static void awaitOutput(Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gst-launch did not start:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
        }
    }
}
