package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.rtsp.client.LowerTransport;

/**
 * A client that stops reading its interleaved TCP connection slows nobody else down: ten normal viewers of
 * the same stream get their frames on time, the server's heap stays flat, and the stalled client loses its
 * session.
 */
class SlowClientTest {

    private static final Duration RUN = Duration.ofSeconds(20);
    private static final double ON_TIME_MILLIS = 100;

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    @Test
    void aClientThatStopsReadingDelaysNoOtherAndLosesItsSession() throws Exception {
        // A small queue and stall time, so that the demo's 200 KB/s fill them within the test.
        runtime.reconfigureServer(Map.of("interleavedQueueBytes", 256 * 1024, "stalledClientSeconds", 3));
        List<Viewer> viewers = new ArrayList<>();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", runtime.rtspPort()), 2000);
            stalled.setSoTimeout(5000);
            String session = request(stalled, "SETUP " + runtime.url("demo") + "/trackID=0 RTSP/1.0\r\nCSeq: 1\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n", "Session");
            request(stalled, "PLAY " + runtime.url("demo") + "/ RTSP/1.0\r\nCSeq: 2\r\nSession: " + session
                    + "\r\n\r\n", null);
            // From here on the stalled client reads nothing.

            for (int i = 0; i < 10; i++) {
                viewers.add(Viewer.play(runtime.url("demo"), LowerTransport.TCP));
            }
            long heapBefore = usedHeapAfterGc();
            long start = System.nanoTime();
            Thread.sleep(RUN.toMillis());
            long heapAfter = usedHeapAfterGc();

            int totalExpected = 0;
            int totalOnTime = 0;
            for (Viewer v : viewers) {
                List<Viewer.Arrival> frames = v.arrivals();
                assertTrue(frames.size() > 10, "a viewer received frames: " + frames.size());
                long first = frames.get(0).rtpTimestamp();
                long last = frames.get(frames.size() - 1).rtpTimestamp();
                int expected = (int) (((last - first) & 0xFFFFFFFFL) / 3600) + 1;
                // Deviation from the ideal schedule, with the earliest frame as the reference.
                double minOffset = Double.MAX_VALUE;
                for (Viewer.Arrival a : frames) {
                    minOffset = Math.min(minOffset, offsetMillis(a, frames.get(0)));
                }
                int onTime = 0;
                for (Viewer.Arrival a : frames) {
                    if (offsetMillis(a, frames.get(0)) - minOffset <= ON_TIME_MILLIS) {
                        onTime++;
                    }
                }
                totalExpected += expected;
                totalOnTime += onTime;
            }
            double share = 100.0 * totalOnTime / totalExpected;
            System.out.printf("slow client: %d of %d frames on time (%.2f %%) for 10 viewers over %d s; "
                    + "heap %d MB before, %d MB after%n", totalOnTime, totalExpected, share,
                    (System.nanoTime() - start) / 1_000_000_000L, heapBefore >> 20, heapAfter >> 20);
            assertTrue(share >= 99, "normal viewers get at least 99 % of frames on time: " + share + " %");
            assertTrue(heapAfter - heapBefore < 32L << 20, "heap stays flat: " + (heapBefore >> 20) + " MB -> "
                    + (heapAfter >> 20) + " MB");
            assertTrue(sessions().stream().noneMatch(s -> s.id().equals(session)),
                    "the stalled client lost its session");
        } finally {
            viewers.forEach(Viewer::close);
            runtime.reconfigureServer(Map.of());
        }
    }

    private static double offsetMillis(Viewer.Arrival a, Viewer.Arrival first) {
        double ideal = ((a.rtpTimestamp() - first.rtpTimestamp()) & 0xFFFFFFFFL) / 90.0;
        return (a.receivedNanos() - first.receivedNanos()) / 1e6 - ideal;
    }

    private List<SessionInfo> sessions() throws InterruptedException {
        ServiceTracker<Sessions, Sessions> tracker = new ServiceTracker<>(runtime.context(), Sessions.class, null);
        tracker.open();
        try {
            Sessions s = tracker.waitForService(5000);
            return s == null ? List.of() : s.list();
        } finally {
            tracker.close();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Sends a request and reads its reply headers; returns the named header's value (up to ';'), if asked. */
    private static String request(Socket s, String request, String header) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = s.getInputStream();
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        while (!reply.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed; reply so far: " + reply);
            }
            if (c == '$' && reply.size() == 0) {
                // An interleaved packet ($, channel, 2-byte length) may come before the reply: skip it.
                in.read();
                int length = (in.read() << 8) | in.read();
                in.readNBytes(length);
                continue;
            }
            reply.write(c);
        }
        String text = reply.toString(StandardCharsets.ISO_8859_1);
        if (!text.startsWith("RTSP/1.0 200")) {
            throw new IOException("request refused: " + text);
        }
        if (header == null) {
            return null;
        }
        Matcher m = Pattern.compile("(?im)^" + header + ":\\s*([^;\\r\\n]+)").matcher(text);
        if (!m.find()) {
            throw new IOException("no " + header + " in " + text);
        }
        return m.group(1).trim();
    }
}
