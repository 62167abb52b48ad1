package org.tributary.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.tributary.api.SessionInfo;
import org.tributary.core.internal.StandaloneStreams;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspClientOptions;
import org.tributary.rtsp.server.internal.StandaloneInterleavedServer;
import org.tributary.transport.tcp.internal.TcpSettings;
import org.tributary.transport.tcp.internal.TcpTransport;

/**
 * How punctual the neighbours of a stalled client are: one client plays a live stream interleaved in TCP and then
 * reads nothing, N normal viewers play the same stream interleaved in TCP, and after a window the harness prints,
 * per viewer and in total, of the frames that arrived in the window, the share within {@code --on-time} ms of their
 * ideal schedule, the frames missing between them, the largest lateness, when the server dropped the stalled client,
 * and the heap before and after the window (measured outside it, since {@code System.gc()} stops every thread). The OSGi test SlowClientTest asserts only what a busy machine cannot change (every frame, in order; the
 * stalled client loses its session); these are the figures it leaves out.
 *
 * <p>The real stream core, RTSP server and TCP transport and the project's RTSP client, in one JVM on 127.0.0.1
 * without a framework; the RTSP port is chosen by the system. Usage:
 * {@code SlowClientNeighbours [--viewers 10] [--seconds 20] [--size 320x240] [--fps 25] [--queue 262144]
 * [--stall 3] [--on-time 100]}.
 */
public final class SlowClientNeighbours {

    private static final PrintStream OUT = System.out;
    private static final String STREAM = "neighbours";
    private static final Logger TRIBUTARY_LOG = Logger.getLogger("org.tributary");

    private SlowClientNeighbours() {
    }

    record Options(int viewers, int seconds, int width, int height, double fps, int queueBytes, int stallSeconds,
            double onTimeMillis) {

        static Options parse(String[] args) {
            int viewers = 10;
            int seconds = 20;
            int width = 320;
            int height = 240;
            double fps = 25;
            int queue = 256 * 1024;
            int stall = 3;
            double onTime = 100;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--viewers" -> viewers = atLeast(a, Integer.parseInt(v), 1);
                    case "--seconds" -> seconds = atLeast(a, Integer.parseInt(v), 1);
                    case "--size" -> {
                        String[] wh = v.split("x");
                        if (wh.length != 2) {
                            throw new IllegalArgumentException("a size is WIDTHxHEIGHT, not " + v);
                        }
                        width = atLeast(a, Integer.parseInt(wh[0]), 16);
                        height = atLeast(a, Integer.parseInt(wh[1]), 16);
                    }
                    case "--fps" -> fps = Double.parseDouble(v);
                    case "--queue" -> queue = atLeast(a, Integer.parseInt(v), 65536);
                    case "--stall" -> stall = atLeast(a, Integer.parseInt(v), 1);
                    case "--on-time" -> onTime = Double.parseDouble(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!(fps > 0 && fps <= 1000)) {
                throw new IllegalArgumentException("--fps must be in (0, 1000]: " + fps);
            }
            return new Options(viewers, seconds, width, height, fps, queue, stall, onTime);
        }

        private static int atLeast(String option, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("SlowClientNeighbours: " + e.getMessage());
            System.err.println("usage: SlowClientNeighbours [--viewers 10] [--seconds 20] [--size 320x240] [--fps 25]"
                    + " [--queue 262144] [--stall 3] [--on-time 100]");
            return;
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TRIBUTARY_LOG.setLevel(Level.WARNING);
        OUT.printf(Locale.ROOT, "SlowClientNeighbours: %d TCP viewers beside a stalled TCP client, %d s, %dx%d at %.0f"
                + " fps, interleaved queue %d bytes, stalled after %d s, on time within %.0f ms; %d cores, %s %s%n",
                o.viewers, o.seconds, o.width, o.height, o.fps, o.queueBytes, o.stallSeconds, o.onTimeMillis,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));

        LivePictures pictures = LivePictures.make(o.width, o.height, 250);
        OUT.printf(Locale.ROOT, "pictures: mean %.0f bytes, %.0f KB/s%n", pictures.meanBytes(),
                pictures.meanBytes() * o.fps / 1024);
        TimedLiveSource source = new TimedLiveSource(pictures, o.fps, (int) Math.ceil((o.seconds + 120) * o.fps));
        StandaloneStreams core = new StandaloneStreams();
        TcpTransport tcp = new TcpTransport(TcpSettings.defaults());
        StandaloneInterleavedServer server = null;
        List<Neighbour> viewers = new ArrayList<>();
        try (Socket stalled = new Socket()) {
            core.bind(source, STREAM, "bench");
            String host = InetAddress.getLoopbackAddress().getHostAddress();
            server = StandaloneInterleavedServer.start(host, core.streams(), tcp, o.queueBytes, o.stallSeconds);
            String url = "rtsp://" + host + ":" + server.port() + "/" + STREAM;

            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress(host, server.port()), 10_000);
            stalled.setSoTimeout(30_000);
            String session = request(stalled, "SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 1\r\n"
                    + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n", "Session");
            request(stalled, "PLAY " + url + "/ RTSP/1.0\r\nCSeq: 2\r\nSession: " + session + "\r\n\r\n", null);
            long stalledFrom = System.nanoTime();
            // From here on the stalled client reads nothing.

            for (int i = 0; i < o.viewers; i++) {
                viewers.add(Neighbour.play(url));
            }
            // The heap is measured outside the window: System.gc() pauses every thread, the server's too.
            StandaloneInterleavedServer watched = server;
            AtomicLong droppedAt = new AtomicLong(-1);
            Thread watcher = new Thread(() -> {
                while (droppedAt.get() < 0 && !Thread.currentThread().isInterrupted()) {
                    if (watched.sessions().stream().noneMatch(s -> s.id().equals(session))) {
                        droppedAt.set(System.nanoTime());
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-stall-watcher");
            watcher.setDaemon(true);
            watcher.start();
            Thread.sleep(1000);
            long heapBefore = usedHeapAfterGc();
            Thread.sleep(1000);
            long windowStart = System.nanoTime();
            long windowEnd = windowStart + Duration.ofSeconds(o.seconds).toNanos();
            Thread.sleep(Duration.ofSeconds(o.seconds).toMillis());
            watcher.interrupt();
            long heapAfter = usedHeapAfterGc();
            long serverDropped = 0;
            for (SessionInfo s : server.sessions()) {
                serverDropped += s.stats().droppedFrames();
            }

            double ticksPerFrame = 90000 / o.fps;
            long totalExpected = 0;
            long totalOnTime = 0;
            long totalMissing = 0;
            double worst = 0;
            for (int v = 0; v < viewers.size(); v++) {
                Neighbour n = viewers.get(v);
                List<long[]> frames = n.frames().stream()
                        .filter(f -> f[1] >= windowStart && f[1] <= windowEnd).toList();
                if (frames.size() < 2) {
                    OUT.printf("viewer %2d: %d frames%s%n", v + 1, frames.size(),
                            n.endReason == null ? "" : ", ended: " + n.endReason);
                    continue;
                }
                long first = frames.get(0)[0];
                long last = frames.get(frames.size() - 1)[0];
                long expected = Math.round(((last - first) & 0xFFFFFFFFL) / ticksPerFrame) + 1;
                // Lateness against the ideal schedule, with the earliest frame as the reference.
                double minOffset = Double.MAX_VALUE;
                for (long[] f : frames) {
                    minOffset = Math.min(minOffset, offsetMillis(f, frames.get(0)));
                }
                int onTime = 0;
                double late = 0;
                for (long[] f : frames) {
                    double lateness = offsetMillis(f, frames.get(0)) - minOffset;
                    late = Math.max(late, lateness);
                    if (lateness <= o.onTimeMillis) {
                        onTime++;
                    }
                }
                totalExpected += expected;
                totalOnTime += onTime;
                totalMissing += expected - frames.size();
                worst = Math.max(worst, late);
                OUT.printf(Locale.ROOT, "viewer %2d: %4d frames of %4d, %4d on time (%.2f %%), latest %.1f ms%s%n",
                        v + 1, frames.size(), expected, onTime, 100.0 * onTime / expected, late,
                        n.endReason == null ? "" : ", ended: " + n.endReason);
            }
            double share = totalExpected == 0 ? 0 : 100.0 * totalOnTime / totalExpected;
            long dropTime = droppedAt.get();
            String dropped = dropTime < 0 ? "not by the window's end"
                    : String.format(Locale.ROOT, "%.1f s after its PLAY", (dropTime - stalledFrom) / 1e9);
            OUT.printf(Locale.ROOT, "total: %d of %d frames on time (%.2f %%), %d missing, latest %.1f ms; stalled "
                    + "client dropped %s; frames the server dropped for the others: %d; heap %d MB before, %d MB "
                    + "after%n", totalOnTime, totalExpected, share, totalMissing, worst, dropped, serverDropped,
                    heapBefore >> 20, heapAfter >> 20);
            OUT.printf(Locale.ROOT, "RESULT viewers=%d onTimePercent=%.2f missing=%d latestMillis=%.1f "
                    + "stalledDroppedSeconds=%.1f heapBeforeMB=%d heapAfterMB=%d%n", viewers.size(), share,
                    totalMissing, worst, dropTime < 0 ? -1.0 : (dropTime - stalledFrom) / 1e9, heapBefore >> 20,
                    heapAfter >> 20);
        } finally {
            viewers.forEach(Neighbour::close);
            if (server != null) {
                server.close();
            }
            tcp.close();
            core.close();
        }
    }

    private static double offsetMillis(long[] frame, long[] first) {
        double ideal = ((frame[0] - first[0]) & 0xFFFFFFFFL) / 90.0;
        return (frame[1] - first[1]) / 1e6 - ideal;
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

    /** A normal viewer over TCP that notes each frame's RTP timestamp and arrival. Thread-safe. */
    private static final class Neighbour implements RtspClientListener, AutoCloseable {

        private final List<long[]> frames = new ArrayList<>();
        private volatile RtspClient client;
        private volatile String endReason;

        static Neighbour play(String url) throws IOException {
            Neighbour n = new Neighbour();
            n.client = RtspClient.start(url, RtspClientOptions.builder().transport(LowerTransport.TCP).build(), n);
            return n;
        }

        @Override
        public void onFrame(ReceivedFrame frame) {
            synchronized (frames) {
                frames.add(new long[] {frame.rtpTimestamp(), frame.receivedAtNanos()});
            }
        }

        @Override
        public void onEnd(String reason) {
            endReason = reason;
        }

        List<long[]> frames() {
            synchronized (frames) {
                return List.copyOf(frames);
            }
        }

        @Override
        public void close() {
            RtspClient c = client;
            if (c != null) {
                c.close();
            }
        }
    }
}
