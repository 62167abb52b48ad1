package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;

/**
 * Malformed and hostile requests each get a proper status code or a closed connection, never a hang, and an
 * FFmpeg client playing on the same server meanwhile decodes every frame, in order.
 */
class HostileRequestsTest {

    private static final Pattern STATUS = Pattern.compile("^RTSP/1\\.0 (\\d{3}) ");
    private static final int CLOSED = -1;

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    /** One hostile request and what may answer it. */
    record Attack(String kind, byte[] bytes, Set<Integer> allowed) {
        static Attack of(String kind, String text, Integer... allowed) {
            return new Attack(kind, text.getBytes(StandardCharsets.ISO_8859_1), Set.of(allowed));
        }
    }

    @Test
    void everyHostileRequestGetsAStatusOrAClosedConnectionWhileFfmpegKeepsPlaying(@TempDir Path dir)
            throws Exception {
        Path frames = dir.resolve("frames.txt");
        Set<String> before = demoSessions();
        // Interleaved in TCP: the point is the server serving on meanwhile, which lossless delivery shows as
        // every frame arriving; UDP on a busy loopback may lose datagrams in the kernel, no fault of the server.
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-i",
                runtime.url("demo"), "-frames:v", "300", "-f", "framemd5", frames.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        try {
            awaitPlaying(ffmpeg, before, dir.resolve("ffmpeg.log"));
            List<Attack> attacks = attacks(new Random(2326));
            assertTrue(attacks.size() >= 1000, "at least 1000 attacks, have " + attacks.size());
            List<String> wrong = new ArrayList<>();
            for (Attack a : attacks) {
                int status = send(a.bytes());
                if (status != CLOSED && !a.allowed().contains(status)) {
                    wrong.add(a.kind() + " -> " + status + ": "
                            + new String(a.bytes(), 0, Math.min(80, a.bytes().length), StandardCharsets.ISO_8859_1));
                }
            }
            assertTrue(wrong.isEmpty(), wrong.size() + " wrong answers, e.g. " + wrong.subList(0, Math.min(10, wrong.size())));

            // Bounds a hang only: 300 frames are 12 s of stream time.
            assertTrue(ffmpeg.waitFor(180, TimeUnit.SECONDS), "ffmpeg finished its 300 frames");
            String log = Files.readString(dir.resolve("ffmpeg.log"));
            assertEquals(0, ffmpeg.exitValue(), log);
            assertEveryFrame(Files.readAllLines(frames), log);
            assertEquals(200, send(("DESCRIBE " + runtime.url("demo") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)), "the server still answers");
        } finally {
            ffmpeg.destroyForcibly();
        }
    }

    /** The ids of the demo's sessions now. */
    private static Set<String> demoSessions() throws InterruptedException {
        return GstreamerStreams.sessions(runtime).list().stream().filter(s -> s.stream().equals("demo"))
                .map(SessionInfo::id).collect(Collectors.toSet());
    }

    /** Waits until FFmpeg's session on the demo plays, so that the attacks fall into its playback. */
    private static void awaitPlaying(Process ffmpeg, Set<String> before, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (GstreamerStreams.sessions(runtime).list().stream().noneMatch(
                s -> s.stream().equals("demo") && !before.contains(s.id()) && s.state() == SessionState.PLAYING)) {
            if (!ffmpeg.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("ffmpeg did not start playing:\n" + Processes.tail(Files.readString(log)));
            }
            Thread.sleep(50);
        }
    }

    /**
     * FFmpeg decoded all 300 frames without an error, each one frame period (40 ms of stream time) after the one
     * before it: none missing, none out of order.
     */
    private static void assertEveryFrame(List<String> lines, String log) {
        double timeBase = 1.0 / 90000;
        List<Double> pts = new ArrayList<>();
        for (String line : lines) {
            Matcher tb = Pattern.compile("^#tb 0: (\\d+)/(\\d+)").matcher(line);
            if (tb.find()) {
                timeBase = Double.parseDouble(tb.group(1)) / Double.parseDouble(tb.group(2));
            } else if (!line.startsWith("#") && !line.isBlank()) {
                pts.add(Double.parseDouble(line.split(",")[1].trim()) * timeBase);
            }
        }
        assertEquals(300, pts.size(), "every frame decoded without error:\n" + Processes.tail(log));
        for (int i = 1; i < pts.size(); i++) {
            double step = pts.get(i) - pts.get(i - 1);
            assertEquals(0.040, step, 0.001, "stream time from frame " + (i - 1) + " to frame " + i);
        }
    }

    private List<Attack> attacks(Random random) {
        String url = runtime.url("demo");
        List<Attack> list = new ArrayList<>();
        Integer[] malformed = { 400, 413, 414, 431, 505 };
        for (int i = 0; i < 150; i++) {
            list.add(Attack.of("broken request line", randomText(random, 1 + random.nextInt(120)) + "\r\nCSeq: 1\r\n\r\n",
                    malformed));
        }
        for (int i = 0; i < 100; i++) {
            byte[] junk = new byte[1 + random.nextInt(600)];
            random.nextBytes(junk);
            junk[0] = (byte) (junk[0] == '$' ? 'x' : junk[0]);
            byte[] bytes = new byte[junk.length + 4];
            System.arraycopy(junk, 0, bytes, 0, junk.length);
            System.arraycopy("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0, bytes, junk.length, 4);
            list.add(new Attack("binary garbage", bytes, Set.of(malformed)));
        }
        list.add(Attack.of("no version", "DESCRIBE " + url + "\r\nCSeq: 1\r\n\r\n", malformed));
        list.add(Attack.of("wrong version", "DESCRIBE " + url + " RTSP/9.9\r\nCSeq: 1\r\n\r\n", malformed));
        list.add(Attack.of("HTTP", "GET / HTTP/1.1\r\nHost: x\r\n\r\n", malformed));
        for (int i = 0; i < 50; i++) {
            list.add(Attack.of("oversized header", "OPTIONS " + url + " RTSP/1.0\r\nCSeq: 1\r\nX-Big: "
                    + "a".repeat(9000 + random.nextInt(20000)) + "\r\n\r\n", malformed));
            StringBuilder many = new StringBuilder("OPTIONS " + url + " RTSP/1.0\r\nCSeq: 1\r\n");
            for (int h = 0; h < 100 + random.nextInt(300); h++) {
                many.append("X-H").append(h).append(": v\r\n");
            }
            list.add(Attack.of("too many headers", many.append("\r\n").toString(), malformed));
            list.add(Attack.of("oversized URI", "DESCRIBE rtsp://127.0.0.1/" + "x".repeat(9000 + random.nextInt(9000))
                    + " RTSP/1.0\r\nCSeq: 1\r\n\r\n", malformed));
        }
        String[] unknown = { "FOO", "GETT", "BREW", "DELETE", "PUT", "POST", "RECORDX", "SETUPP", "PLAYY", "X" };
        for (int i = 0; i < 100; i++) {
            list.add(Attack.of("unknown method", unknown[i % unknown.length] + " " + url + " RTSP/1.0\r\nCSeq: "
                    + i + "\r\n\r\n", 400, 405, 501));
        }
        String[] cseqs = { "abc", "-1", "", "1 2", "99999999999999999999", "0x10", "1.5" };
        for (int i = 0; i < 70; i++) {
            list.add(Attack.of("bad CSeq", "OPTIONS " + url + " RTSP/1.0\r\nCSeq: " + cseqs[i % cseqs.length]
                    + "\r\n\r\n", 400));
            list.add(Attack.of("no CSeq", "OPTIONS " + url + " RTSP/1.0\r\nUser-Agent: x" + i + "\r\n\r\n", 400));
        }
        for (int i = 0; i < 100; i++) {
            String method = i % 4 == 0 ? "PLAY" : i % 4 == 1 ? "PAUSE" : i % 4 == 2 ? "TEARDOWN" : "GET_PARAMETER";
            String session = i % 3 == 0 ? Long.toString(random.nextLong() & Long.MAX_VALUE)
                    : i % 3 == 1 ? "x".repeat(1 + random.nextInt(300)) : randomText(random, 20);
            list.add(Attack.of("foreign session", method + " " + url + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session
                    + "\r\n\r\n", 400, 454));
        }
        for (int i = 0; i < 60; i++) {
            String method = i % 2 == 0 ? "PLAY" : "PAUSE";
            list.add(Attack.of("no session", method + " " + url + " RTSP/1.0\r\nCSeq: 2\r\n\r\n", 454, 455));
        }
        for (int i = 0; i < 60; i++) {
            list.add(Attack.of("unknown track", "SETUP " + url + "/trackID=" + (1 + random.nextInt(99))
                    + " RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n", 400, 404));
            list.add(Attack.of("bad transport", "SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: "
                    + randomText(random, 1 + random.nextInt(60)) + "\r\n\r\n", 400, 461));
        }
        String[] traversal = { "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/etc/passwd",
                "movie.Mjpeg/../../../../etc/passwd", "/etc/passwd", "....//....//etc/passwd", "..\\..\\etc\\passwd",
                "media/../../pom.xml", "%00", "demo%00.txt" };
        for (int i = 0; i < 60; i++) {
            String path = traversal[i % traversal.length];
            String method = i % 2 == 0 ? "DESCRIBE" : "SETUP";
            list.add(Attack.of("path traversal", method + " rtsp://127.0.0.1:" + runtime.rtspPort() + "/" + path
                    + " RTSP/1.0\r\nCSeq: 4\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n", 400, 404));
        }
        for (int i = 0; i < 30; i++) {
            list.add(Attack.of("huge body", "SET_PARAMETER " + url + " RTSP/1.0\r\nCSeq: 5\r\nContent-Length: "
                    + (1_000_000_000L + i) + "\r\n\r\nx", 400, 413, 454));
            list.add(Attack.of("negative body", "SET_PARAMETER " + url + " RTSP/1.0\r\nCSeq: 5\r\nContent-Length: -"
                    + i + "\r\n\r\n", 400));
        }
        return list;
    }

    private static String randomText(Random random, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append((char) (0x20 + random.nextInt(0x5F)));
        }
        return b.toString();
    }

    /** Sends the bytes on a new connection; the reply's status, or {@link #CLOSED} if the server closed. */
    private int send(byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            // Bounds a hang only, generous for a busy machine.
            s.connect(new InetSocketAddress("127.0.0.1", runtime.rtspPort()), 10_000);
            s.setSoTimeout(30_000);
            try {
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                return CLOSED; // the server closed while we were still writing (oversized request)
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try {
                int c;
                while ((c = in.read()) != -1 && c != '\n') {
                    head.write(c);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 30 s to: "
                        + new String(bytes, 0, Math.min(100, bytes.length), StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                return CLOSED;
            }
            if (head.size() == 0) {
                return CLOSED;
            }
            Matcher m = STATUS.matcher(head.toString(StandardCharsets.ISO_8859_1));
            if (!m.find()) {
                throw new AssertionError("not an RTSP status line: " + head);
            }
            return Integer.parseInt(m.group(1));
        }
    }
}
