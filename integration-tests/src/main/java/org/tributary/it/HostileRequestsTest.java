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

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed and hostile requests each get a proper status code or a closed connection, never a hang, and an
 * FFmpeg client playing on the same server meanwhile decodes every frame on time.
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
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "udp", "-i",
                runtime.url("demo"), "-frames:v", "300", "-f", "framemd5", frames.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        try {
            Thread.sleep(2000);
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

            assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished its 300 frames");
            String log = Files.readString(dir.resolve("ffmpeg.log"));
            assertEquals(0, ffmpeg.exitValue(), log);
            assertNoGap(Files.readAllLines(frames), log);
            assertEquals(200, send(("DESCRIBE " + runtime.url("demo") + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)), "the server still answers");
        } finally {
            ffmpeg.destroyForcibly();
        }
    }

    /** Consecutive frames FFmpeg decoded are at most two frame periods (80 ms) apart in stream time. */
    private static void assertNoGap(List<String> lines, String log) {
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
            double gap = pts.get(i) - pts.get(i - 1);
            assertTrue(gap > 0 && gap <= 0.080 + 1e-6, "gap of " + gap + " s before frame " + i);
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
            s.connect(new InetSocketAddress("127.0.0.1", runtime.rtspPort()), 2000);
            s.setSoTimeout(5000);
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
                throw new AssertionError("no answer within 5 s to: "
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
