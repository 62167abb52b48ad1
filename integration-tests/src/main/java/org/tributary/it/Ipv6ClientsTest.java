package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.rtsp.client.LowerTransport;

/**
 * Clients that reach the server over IPv6, as {@code localhost} does where it resolves to {@code ::1} first
 * (Debian's {@code /etc/hosts}): the README's GStreamer play command as written and with {@code [::1]}, FFmpeg
 * over UDP and interleaved TCP, the SDP an IPv6 client reads, publishing from {@code ::1} without a password
 * (a program of this machine), and an RTP push to an IPv6 receiver.
 */
class Ipv6ClientsTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    private static String url6(String path) {
        return "rtsp://[::1]:" + runtime.rtspPort() + "/" + path;
    }

    /**
     * The README's command with fakesink for the window, to count decoded frames; {@code localhost} is whatever
     * this machine makes of it ({@code ::1} first where {@code /etc/hosts} says so).
     */
    @Test
    void theReadmesGstreamerCommandPlaysTheDemoWithLocalhost() throws Exception {
        assertGstPlays("rtsp://localhost:" + runtime.rtspPort() + "/demo", null);
    }

    /**
     * The README's command exactly, window and all, on the X display the test command provides: the decoded
     * pictures reach the video sink autovideosink picked (its caps are set once the first one negotiated), and
     * nothing fails. Stopped then, since the demo loops.
     */
    @ParameterizedTest
    @ValueSource(strings = {"localhost", "[::1]"})
    void theReadmesGstreamerCommandShowsTheDemoInAWindow(String host, @TempDir Path dir) throws Exception {
        assertTrue(System.getenv("DISPLAY") != null, "needs an X display (scripts/test.sh starts Xvfb)");
        Path log = dir.resolve("gst.log");
        Process gst = new ProcessBuilder("gst-launch-1.0", "-v", "rtspsrc",
                "location=rtsp://" + host + ":" + runtime.rtspPort() + "/demo", "!", "decodebin", "!", "videoconvert",
                "!", "autovideosink").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Pattern shown = Pattern.compile("(?m)^/GstPipeline:pipeline0/GstAutoVideoSink:autovideosink0/[^.]+"
                    + "-actual-sink-[^.]+\\.GstPad:sink: caps = video/x-raw");
            long deadline = System.nanoTime() + CLIENT_TIMEOUT.toNanos();
            while (!shown.matcher(Files.readString(log, StandardCharsets.UTF_8)).find()) {
                if (!gst.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no picture reached the window:\n"
                            + Processes.tail(Files.readString(log, StandardCharsets.UTF_8)));
                }
                Thread.sleep(50);
            }
            assertTrue(gst.isAlive(), "still playing");
        } finally {
            gst.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertFalse(output.contains("ERROR"), Processes.tail(output));
    }

    /** The same over {@code ::1}, with rtspsrc's own choice of transport (UDP first) and each one forced. */
    @ParameterizedTest
    @ValueSource(strings = {"", "udp", "tcp"})
    void gstreamerPlaysTheDemoOverIpv6(String protocols) throws Exception {
        assertGstPlays(url6("demo"), protocols.isEmpty() ? null : protocols);
    }

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void ffmpegDecodesTheDemoOverIpv6(String transport) throws Exception {
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                transport, "-i", url6("demo"), "-frames:v", "50", "-f", "framemd5", "-");
        assertTrue(r.ok(), r.output());
        assertDecoded(50, r.output());
    }

    /** Tributary's own client library (relays, the viewer) over ::1, by UDP and interleaved TCP. */
    @ParameterizedTest
    @ValueSource(strings = {"UDP", "TCP"})
    void theClientLibraryPlaysTheDemoOverIpv6(String transport) throws Exception {
        try (Viewer viewer = Viewer.play(url6("demo"), LowerTransport.valueOf(transport))) {
            viewer.awaitMoreFrames(25, Duration.ofSeconds(30));
            assertEquals(LowerTransport.valueOf(transport), viewer.client().transport());
        }
    }

    /** What GStreamer read wrong before: the SDP of a client on ::1, and the URLs the server hands back. */
    @Test
    void anIpv6ClientGetsAnSdpOfItsFamilyAndUrlsWithTheHostInBrackets() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName("::1"), runtime.rtspPort()), 10_000);
            s.setSoTimeout(10_000);
            String reply = exchange(s, "DESCRIBE " + url6("demo") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
            assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
            assertTrue(reply.contains("\r\nContent-Base: " + url6("demo") + "/\r\n"), reply);
            String sdp = reply.substring(reply.indexOf("\r\n\r\n") + 4);
            assertTrue(sdp.matches("(?s)v=0\r\no=- \\d+ 1 IN IP6 ::1\r\ns=demo\r\nc=IN IP6 ::\r\n.*"), sdp);

            try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0));
                    DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
                rtp.setSoTimeout(10_000);
                String setup = exchange(s, "SETUP " + url6("demo") + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                        + "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort()
                        + "\r\n\r\n");
                assertTrue(setup.startsWith("RTSP/1.0 200 OK"), setup);
                assertTrue(setup.contains("\r\nTransport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-"
                        + rtcp.getLocalPort() + ";server_port="), setup);
                String session = setup.replaceAll("(?s).*\r\nSession: ([0-9A-F]+).*", "$1");
                String play = exchange(s, "PLAY " + url6("demo") + "/ RTSP/1.0\r\nCSeq: 3\r\nSession: " + session
                        + "\r\n\r\n");
                assertTrue(play.startsWith("RTSP/1.0 200 OK"), play);
                assertTrue(play.contains("\r\nRTP-Info: url=" + url6("demo") + "/trackID=0;seq="), play);
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                rtp.receive(packet);
                assertTrue(packet.getAddress() instanceof Inet6Address, "RTP over IPv6: " + packet.getAddress());
                assertEquals(26, packet.getData()[1] & 0x7F, "RTP/JPEG");
                exchange(s, "TEARDOWN " + url6("demo") + "/ RTSP/1.0\r\nCSeq: 4\r\nSession: " + session + "\r\n\r\n");
            }
        }
    }

    /**
     * FFmpeg relays the demo from the server back into it, both legs over ::1: publishing from ::1 needs no
     * password (the default {@code publishing=loopback}), and viewers on ::1 decode the published stream.
     */
    @Test
    void aPublisherOnIpv6LoopbackPublishesWithoutAPasswordAndIpv6ViewersPlayIt(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("publisher.log");
        Process publisher = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-i",
                url6("demo"), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp", url6("live6"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (runtime.streams().get("live6").isEmpty()) {
                if (!publisher.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("'live6' not published:\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
            for (String transport : List.of("udp", "tcp")) {
                Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error",
                        "-rtsp_transport", transport, "-i", url6("live6"), "-frames:v", "20", "-f", "framemd5", "-");
                assertTrue(r.ok(), r.output());
                assertDecoded(20, r.output());
            }
        } finally {
            publisher.destroyForcibly().waitFor();
        }
    }

    /** A push to [::1]:PORT: the SDP names the receiver under IP6, compressed, and RTP arrives over IPv6. */
    @Test
    void anRtpPushReachesAnIpv6Receiver() throws Exception {
        Sessions sessions = GstreamerStreams.sessions(runtime);
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            receiver.setSoTimeout(10_000);
            int port = receiver.getLocalPort();
            SessionInfo push = sessions.push("demo", new InetSocketAddress(InetAddress.getByName("::1"), port));
            try {
                String sdp = sessions.pushDescription(push.id()).orElseThrow();
                assertTrue(sdp.contains("\r\nc=IN IP6 ::1\r\n") && sdp.contains(" IN IP6 ::1\r\ns=demo\r\n")
                        && sdp.contains("\r\nm=video " + port + " RTP/AVP 26\r\n"), sdp);
                List<Integer> sequence = new ArrayList<>();
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                while (sequence.size() < 20) {
                    receiver.receive(packet);
                    assertTrue(packet.getAddress() instanceof Inet6Address, "over IPv6: " + packet.getAddress());
                    assertEquals(26, packet.getData()[1] & 0x7F, "RTP/JPEG");
                    sequence.add((packet.getData()[2] & 0xFF) << 8 | packet.getData()[3] & 0xFF);
                }
                assertEquals(20, sequence.stream().distinct().count(), "20 different packets: " + sequence);
            } finally {
                sessions.kick(push.id());
            }
        }
    }

    private static void assertGstPlays(String url, String protocols) throws Exception {
        List<String> command = new ArrayList<>(List.of("gst-launch-1.0", "rtspsrc", "location=" + url));
        if (protocols != null) {
            command.add("protocols=" + protocols);
        }
        command.addAll(List.of("!", "decodebin", "!", "fakesink", "num-buffers=50"));
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, command);
        assertTrue(r.ok(), String.join(" ", command) + "\n" + Processes.tail(r.output()));
        assertTrue(r.output().contains("Got EOS"), "50 decoded frames reached the sink:\n" + Processes.tail(r.output()));
        assertFalse(r.output().contains("ERROR"), Processes.tail(r.output()));
    }

    /** Exactly {@code frames} framemd5 lines and nothing else (FFmpeg prints its errors at -v error). */
    private static void assertDecoded(int frames, String output) {
        List<String> lines = output.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertEquals(frames, lines.size(), "frames decoded; anything else printed is an error:\n"
                + Processes.tail(output));
        assertTrue(lines.stream().allMatch(l -> l.matches("0,\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*[0-9a-f]{32}")),
                "only frame lines:\n" + Processes.tail(output));
    }

    /** Sends a request and reads its reply, body included, skipping any interleaved frame before it. */
    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String length = text.replaceAll("(?s).*\r\nContent-Length: (\\d+)\r\n.*", "$1");
        if (!length.equals(text)) {
            text += new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        }
        return text;
    }
}
