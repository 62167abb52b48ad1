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

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

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
        // RTP over UDP is the point: see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Process receiver = new ProcessBuilder("gst-launch-1.0", "udpsrc", "port=" + port,
                "buffer-size=" + Processes.UDP_RECEIVE_BUFFER, "caps=application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96", "!",
                "rtph264depay", "!", "avdec_h264", "!", "fakesink", "num-buffers=60")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Sessions sessions = GstreamerStreams.sessions(runtime);
        SessionInfo push = null;
        try {
            // The receiver listens before the push starts.
            awaitOutput(log, "Setting pipeline to PLAYING", CLIENT_TIMEOUT);
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
        InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        // The SDP comes from a push; that first push ends before FFmpeg listens, and the push FFmpeg decodes starts
        // once it does, so no frame goes to a closed port and decoding starts at the push's first frame.
        SessionInfo described = sessions.push(GstreamerStreams.H264, to);
        String sdp;
        try {
            sdp = sessions.pushDescription(described.id()).orElseThrow();
        } finally {
            sessions.kick(described.id());
        }
        assertTrue(sdp.contains("\r\nc=IN IP4 127.0.0.1\r\n") && sdp.contains("\r\nm=video " + port + " RTP/AVP 96\r\n")
                && sdp.contains("sprop-parameter-sets="), sdp);
        Path file = Files.writeString(dir.resolve("push.sdp"), sdp, StandardCharsets.UTF_8);

        Path log = dir.resolve("ffmpeg.log");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-protocol_whitelist", "file,udp,rtp",
                "-i", file.toString(), "-frames:v", "60", "-f", "framemd5", "-").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        SessionInfo push = null;
        try {
            awaitListening(port, ffmpeg, log);
            push = sessions.push(GstreamerStreams.H264, to);
            assertTrue(ffmpeg.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "ffmpeg finished its 60 frames");
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, ffmpeg.exitValue(), output);
            GstreamerLiveTest.assertDecodedCleanly(60, output);
        } finally {
            ffmpeg.destroyForcibly().waitFor();
            if (push != null) {
                sessions.kick(push.id());
            }
        }
    }

    /** Waits until a process holds the UDP port (Linux: /proc/net/udp and udp6 list the bound ports). */
    private static void awaitListening(int port, Process process, Path log) throws Exception {
        String hex = String.format(":%04X", port);
        long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
        while (true) {
            for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
                Path path = Path.of(table);
                if (Files.exists(path) && Files.readAllLines(path).stream().skip(1)
                        .anyMatch(l -> l.trim().split("\\s+")[1].endsWith(hex))) {
                    return;
                }
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("ffmpeg did not listen on UDP port " + port + ":\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            Thread.sleep(50);
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
