package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * A client that stops reading its interleaved TCP connection takes nothing from anybody else: ten normal TCP
 * viewers of the same stream keep getting every frame, in order, the server's heap stays flat, and the stalled
 * client loses its session. How punctual the neighbours' frames are is measured by the SlowClientNeighbours
 * benchmark (tools/benchmarks), not asserted here.
 */
class SlowClientTest {

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    /** The demo's frame period in RTP clock units (25 fps, 90 kHz). */
    private static final long FRAME_TICKS = 3600;

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    @Test
    void aClientThatStopsReadingTakesNoFrameFromOthersAndLosesItsSession() throws Exception {
        // A small queue and stall time, so that the demo's 200 KB/s fill them within the test; the queue still
        // holds seconds of the demo, so a normal viewer that a busy machine holds up for a moment loses nothing.
        runtime.reconfigureServer(Map.of("interleavedQueueBytes", 1024 * 1024, "stalledClientSeconds", 5));
        List<Viewer> viewers = new ArrayList<>();
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", runtime.rtspPort()), 10_000);
            stalled.setSoTimeout(30_000);
            String session = request(stalled, "SETUP " + runtime.url("demo") + "/trackID=0 RTSP/1.0\r\nCSeq: 1\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n", "Session");
            request(stalled, "PLAY " + runtime.url("demo") + "/ RTSP/1.0\r\nCSeq: 2\r\nSession: " + session
                    + "\r\n\r\n", null);
            // From here on the stalled client reads nothing.

            for (int i = 0; i < 10; i++) {
                viewers.add(Viewer.play(runtime.url("demo"), LowerTransport.TCP));
            }
            for (Viewer v : viewers) {
                v.awaitMoreFrames(10, PATIENCE);
            }
            long heapBefore = usedHeapAfterGc();

            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (sessions().stream().anyMatch(s -> s.id().equals(session)) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(sessions().stream().noneMatch(s -> s.id().equals(session)),
                    "the stalled client lost its session");
            // The neighbours play on past the stalled client's end.
            for (Viewer v : viewers) {
                v.awaitMoreFrames(25, PATIENCE);
            }
            long heapAfter = usedHeapAfterGc();

            for (int n = 0; n < viewers.size(); n++) {
                Viewer v = viewers.get(n);
                assertFalse(v.awaitEnd(Duration.ZERO), "viewer " + n + " still plays: " + v.endReason());
                List<Viewer.Arrival> frames = v.arrivals();
                for (int i = 1; i < frames.size(); i++) {
                    long step = (frames.get(i).rtpTimestamp() - frames.get(i - 1).rtpTimestamp()) & 0xFFFFFFFFL;
                    assertEquals(FRAME_TICKS, step, "viewer " + n + ": frame " + i + " of " + frames.size()
                            + " follows the one before it (none missing, none out of order)");
                }
            }
            System.out.printf("slow client: 10 TCP viewers got every frame (%d to %d each); heap %d MB before, "
                    + "%d MB after%n", viewers.stream().mapToInt(Viewer::frames).min().orElse(0),
                    viewers.stream().mapToInt(Viewer::frames).max().orElse(0), heapBefore >> 20, heapAfter >> 20);
            assertTrue(heapAfter - heapBefore < 32L << 20, "heap stays flat: " + (heapBefore >> 20) + " MB -> "
                    + (heapAfter >> 20) + " MB");
        } finally {
            viewers.forEach(Viewer::close);
            runtime.reconfigureServer(Map.of());
        }
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
