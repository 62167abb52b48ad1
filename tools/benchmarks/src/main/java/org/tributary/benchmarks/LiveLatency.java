package org.tributary.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.tributary.api.SessionInfo;
import org.tributary.core.internal.StandaloneStreams;
import org.tributary.rtsp.client.ReceiverStatistics;
import org.tributary.rtsp.server.internal.StandaloneRtspServer;
import org.tributary.transport.udp.internal.UdpSettings;
import org.tributary.transport.udp.internal.UdpTransport;

/**
 * How long a frame of a live stream takes from its source to the viewers, and what each viewer costs the
 * server: the real stream core, RTSP server and UDP transport, and N viewers using the project's RTSP client
 * over RTP/UDP, all in this JVM on the loopback interface. No framework, no files, no ports fixed in advance.
 *
 * <pre>
 * ./mvnw -o -q -pl tools/benchmarks package
 * java -cp tools/benchmarks/target/benchmarks.jar org.tributary.benchmarks.LiveLatency \
 *     [--sizes 64x48,640x480] [--viewers 20] [--runs 3] [--seconds 30] [--settle 2] [--warmup 20] \
 *     [--fps 25] [--pictures 250] [--max-load 1.5] [--load-wait 300] [--verbose]
 * </pre>
 *
 * <p>For each size, after one unreported warm-up run, each run starts a fresh core, transport and server and
 * mounts a {@link TimedLiveSource} (distinct JPEG pictures at {@code fps}, absolute deadlines) as stream
 * {@code live}. One viewer plays; after {@code settle} seconds a window of {@code seconds} is measured (the
 * baseline: a live feed runs only while watched). Then the other viewers join; after {@code settle} seconds a
 * second window is measured. Each viewer tells which source frame it received by the picture's scan data, so
 * no marker is added to the stream.
 *
 * <p>Latency is receive time minus send time on this JVM's {@link System#nanoTime()} clock: from just before
 * the source hands the frame to the core to the moment the viewer's receive thread read the packet that
 * completed the frame. A frame that fits one RTP packet is its first packet's arrival; a larger frame is its
 * last packet's. The receive time is taken in user space, so it includes the viewer thread's wake-up: with
 * many viewers on few cores that is part of what is measured.
 *
 * <p>CPU: the thread CPU time ({@link CpuSample}) of the server side (core, RTSP server, UDP transport, the
 * source's thread, which runs the core's fan-out, and the JVM's Java threads) and of the clients, over each
 * window. Per additional viewer: (server CPU with N viewers − server CPU with 1) / (N − 1), as a share of one
 * core and as microseconds per frame per viewer.
 *
 * <p>The machine's load: before each run the one-minute load average is read from {@code /proc/loadavg};
 * above {@code max-load} the run waits, at most {@code load-wait} seconds, for it to drop. Loads before and
 * after each window are reported (the one after includes this program's own load).
 */
public final class LiveLatency {

    private static final String STREAM = "live";
    private static final long DRAIN_MILLIS = 500;
    private static final int WORST_FRAMES = 5;

    /** Keeps the core's java.util.logging level set below; a logger nobody refers to may be collected. */
    private static final Logger TRIBUTARY_LOG = Logger.getLogger("org.tributary");

    private static final PrintStream OUT = System.out;

    /** The JVM's start on the {@link System#nanoTime()} clock, to match times with {@code -Xlog} uptimes. */
    private static final long JVM_START_NANOS = System.nanoTime()
            - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

    private LiveLatency() {
    }

    /** The command line. */
    record Options(List<int[]> sizes, int viewers, int runs, int seconds, int settle, int warmup, double fps,
            int pictures, double maxLoad, int loadWait, boolean verbose) {

        static Options parse(String[] args) {
            List<int[]> sizes = List.of(new int[] {64, 48}, new int[] {640, 480});
            int viewers = 20;
            int runs = 3;
            int seconds = 30;
            int settle = 2;
            int warmup = 20;
            double fps = 25;
            int pictures = 250;
            double maxLoad = 1.5;
            int loadWait = 300;
            boolean verbose = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--verbose")) {
                    verbose = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--sizes" -> sizes = parseSizes(v);
                    case "--viewers" -> viewers = atLeast(a, Integer.parseInt(v), 2);
                    case "--runs" -> runs = atLeast(a, Integer.parseInt(v), 1);
                    case "--seconds" -> seconds = atLeast(a, Integer.parseInt(v), 1);
                    case "--settle" -> settle = atLeast(a, Integer.parseInt(v), 0);
                    case "--warmup" -> warmup = atLeast(a, Integer.parseInt(v), 0);
                    case "--fps" -> fps = Double.parseDouble(v);
                    case "--pictures" -> pictures = atLeast(a, Integer.parseInt(v), 1);
                    case "--max-load" -> maxLoad = Double.parseDouble(v);
                    case "--load-wait" -> loadWait = atLeast(a, Integer.parseInt(v), 0);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (!(fps > 0 && fps <= 1000)) {
                throw new IllegalArgumentException("--fps must be in (0, 1000]: " + fps);
            }
            return new Options(sizes, viewers, runs, seconds, settle, warmup, fps, pictures, maxLoad, loadWait,
                    verbose);
        }

        private static List<int[]> parseSizes(String v) {
            List<int[]> sizes = new ArrayList<>();
            for (String s : v.split(",")) {
                String[] wh = s.trim().split("x");
                if (wh.length != 2) {
                    throw new IllegalArgumentException("a size is WIDTHxHEIGHT, not " + s);
                }
                sizes.add(new int[] {Integer.parseInt(wh[0]), Integer.parseInt(wh[1])});
            }
            return sizes;
        }

        private static int atLeast(String option, int value, int min) {
            if (value < min) {
                throw new IllegalArgumentException(option + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }

    /** One run: the baseline window with one viewer and the window with all of them. */
    record Run(int number, double loadAtStart, PhaseResult one, PhaseResult all, int feedStarts, long serverDropped,
            long[] clientPacketsLost, long[] clientDroppedFrames, List<String> ended) {

        /** Server CPU per additional viewer, in nanoseconds per second of wall time. */
        double cpuPerViewerNanosPerSecond() {
            double oneRate = (double) one.cpu(CpuSample.SERVER) / one.windowNanos;
            double allRate = (double) all.cpu(CpuSample.SERVER) / all.windowNanos;
            return (allRate - oneRate) / (all.viewers - one.viewers) * 1e9;
        }

        /** Server CPU per additional viewer and frame, in microseconds. */
        double cpuPerViewerMicrosPerFrame() {
            double onePerFrame = (double) one.cpu(CpuSample.SERVER) / one.frames;
            double allPerFrame = (double) all.cpu(CpuSample.SERVER) / all.frames;
            return (allPerFrame - onePerFrame) / (all.viewers - one.viewers) / 1000;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LiveLatency: " + e.getMessage());
            System.err.println("usage: LiveLatency [--sizes 64x48,640x480] [--viewers 20] [--runs 3] [--seconds 30]"
                    + " [--settle 2] [--warmup 20] [--fps 25] [--pictures 250] [--max-load 1.5] [--load-wait 300]"
                    + " [--verbose]");
            return;
        }
        quietLogging();
        OUT.printf(Locale.ROOT, "LiveLatency: %d viewers, %d runs per size, %d s windows after %d s settling, %.0f fps,"
                + " %d cores, %s %s%n", options.viewers, options.runs, options.seconds, options.settle, options.fps,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        List<List<Run>> bySize = new ArrayList<>();
        List<LivePictures> pictureSets = new ArrayList<>();
        for (int[] size : options.sizes) {
            LivePictures pictures = LivePictures.make(size[0], size[1], options.pictures);
            pictureSets.add(pictures);
            OUT.printf(Locale.ROOT, "%n=== %dx%d: %d pictures, mean %.0f bytes, %d..%d RTP packets per frame (%s)%n",
                    size[0], size[1], pictures.count(), pictures.meanBytes(), pictures.minPackets(),
                    pictures.maxPackets(), arrivalLabel(pictures));
            if (options.warmup > 0) {
                int half = Math.max(1, options.warmup / 2);
                OUT.printf("warm-up run, not reported: %d s with one viewer, %d s with %d%n", half, half,
                        options.viewers);
                runOnce(0, pictures, options, Math.min(1, options.settle), half);
            }
            List<Run> runs = new ArrayList<>();
            for (int r = 1; r <= options.runs; r++) {
                waitForLoad(options);
                Run run = runOnce(r, pictures, options, options.settle, options.seconds);
                runs.add(run);
                print(run, pictures, options);
            }
            bySize.add(runs);
        }
        for (int s = 0; s < bySize.size(); s++) {
            summary(pictureSets.get(s), bySize.get(s), options);
        }
    }

    /** Which packet's arrival the latency is measured at, for the reports. */
    private static String arrivalLabel(LivePictures pictures) {
        return pictures.maxPackets() == 1 ? "one packet each: latency to the first (only) packet"
                : "latency to the LAST packet of each frame";
    }

    /**
     * One run on a fresh core, transport and server: the baseline window with one viewer, then the window
     * with all; every viewer, the server, the transport and the core are closed before it returns.
     */
    private static Run runOnce(int number, LivePictures pictures, Options o, int settle, int seconds)
            throws IOException, InterruptedException {
        double loadAtStart = loadAverage();
        int capacity = (int) Math.ceil((2 * (settle + seconds + 2) + 120) * o.fps);
        TimedLiveSource source = new TimedLiveSource(pictures, o.fps, capacity);
        List<Viewer> viewers = new ArrayList<>();
        StandaloneStreams core = new StandaloneStreams();
        UdpTransport udp = null;
        StandaloneRtspServer server = null;
        try {
            core.bind(source, STREAM, "bench");
            udp = new UdpTransport(UdpSettings.defaults(InetAddress.getLoopbackAddress(), 0));
            server = StandaloneRtspServer.start(InetAddress.getLoopbackAddress().getHostAddress(), core.streams(), udp);
            String url = "rtsp://" + InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.port() + "/"
                    + STREAM;

            Viewer first = new Viewer(source, pictures);
            viewers.add(first);
            first.play(url);
            PhaseResult one = measure(source, List.copyOf(viewers), settle, seconds);

            for (int v = 1; v < o.viewers; v++) {
                Viewer viewer = new Viewer(source, pictures);
                viewers.add(viewer);
                viewer.play(url);
            }
            PhaseResult all = measure(source, List.copyOf(viewers), settle, seconds);

            long serverDropped = 0;
            for (SessionInfo session : server.sessions()) {
                serverDropped += session.stats().droppedFrames();
            }
            long[] packetsLost = new long[viewers.size()];
            long[] droppedFrames = new long[viewers.size()];
            List<String> ended = new ArrayList<>();
            for (int v = 0; v < viewers.size(); v++) {
                ReceiverStatistics stats = viewers.get(v).statistics();
                packetsLost[v] = stats == null ? -1 : stats.packetsLost();
                droppedFrames[v] = stats == null ? -1 : stats.droppedFrames();
                if (viewers.get(v).endReason() != null) {
                    ended.add("viewer " + (v + 1) + ": " + viewers.get(v).endReason());
                }
            }
            return new Run(number, loadAtStart, one, all, source.starts(), serverDropped, packetsLost, droppedFrames,
                    ended);
        } finally {
            for (Viewer viewer : viewers) {
                viewer.close();
            }
            if (server != null) {
                server.close();
            }
            if (udp != null) {
                udp.close();
            }
            core.close();
        }
    }

    /** Waits {@code settle} seconds, then measures a window of {@code seconds} and lets its last frames arrive. */
    private static PhaseResult measure(TimedLiveSource source, List<Viewer> viewers, int settle, int seconds)
            throws InterruptedException {
        Thread.sleep(settle * 1000L);
        double loadBefore = loadAverage();
        CpuSample before = CpuSample.take();
        long from = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long to = System.nanoTime();
        CpuSample after = CpuSample.take();
        double loadAfter = loadAverage();
        Thread.sleep(DRAIN_MILLIS);
        return PhaseResult.of(source, viewers, from, to, before, after, loadBefore, loadAfter, WORST_FRAMES);
    }

    private static void print(Run run, LivePictures pictures, Options o) {
        OUT.printf(Locale.ROOT, "%n--- %dx%d run %d (load %.2f at start; feed started %d time%s)%n", pictures.width(),
                pictures.height(), run.number, run.loadAtStart, run.feedStarts, run.feedStarts == 1 ? "" : "s");
        printPhase(run.one, o);
        printPhase(run.all, o);
        OUT.printf(Locale.ROOT, "server CPU per additional viewer: %.2f %% of a core, %.1f us per frame per viewer%n",
                run.cpuPerViewerNanosPerSecond() / 1e7, run.cpuPerViewerMicrosPerFrame());
        OUT.printf("since PLAY: server dropped %d frames; client packets lost %s; client frames dropped %s%n",
                run.serverDropped, Arrays.toString(run.clientPacketsLost), Arrays.toString(run.clientDroppedFrames));
        for (String e : run.ended) {
            OUT.println("ENDED " + e);
        }
        PhaseResult a = run.all;
        OUT.printf(Locale.ROOT, "RESULT size=%dx%d run=%d viewers=%d count=%d p50_us=%.1f p90_us=%.1f p99_us=%.1f"
                + " max_us=%.1f lost=%d cpu_per_viewer_pct=%.3f cpu_per_viewer_us_per_frame=%.2f"
                + " server_cpu1_pct=%.2f server_cpu%d_pct=%.2f client_cpu_per_viewer_pct=%.2f load_before=%.2f"
                + " load_after=%.2f%n",
                pictures.width(), pictures.height(), run.number, a.viewers, a.latencies.length,
                us(percentile(a.latencies, 50)), us(percentile(a.latencies, 90)), us(percentile(a.latencies, 99)),
                us(max(a.latencies)), a.lost(), run.cpuPerViewerNanosPerSecond() / 1e7,
                run.cpuPerViewerMicrosPerFrame(), run.one.percentOfCore(run.one.cpu(CpuSample.SERVER)), a.viewers,
                a.percentOfCore(a.cpu(CpuSample.SERVER)), a.percentOfCore(a.cpu(CpuSample.CLIENT)) / a.viewers,
                a.loadBefore, a.loadAfter);
    }

    private static void printPhase(PhaseResult p, Options o) {
        OUT.printf(Locale.ROOT, "%d viewer%s, %.1f s window, %d frames sent, load %.2f -> %.2f%n", p.viewers,
                p.viewers == 1 ? "" : "s", p.windowNanos / 1e9, p.frames, p.loadBefore, p.loadAfter);
        OUT.printf(Locale.ROOT, "  latency us: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  mean %.1f  (%d arrivals)%n",
                us(percentile(p.latencies, 50)), us(percentile(p.latencies, 90)), us(percentile(p.latencies, 99)),
                us(max(p.latencies)), us(mean(p.latencies)), p.latencies.length);
        if (p.viewers > 1) {
            OUT.printf(Locale.ROOT, "  first viewer to get each frame us: p50 %.1f  p99 %.1f  max %.1f;"
                    + " spread first..last viewer us: p50 %.1f  p99 %.1f  max %.1f%n",
                    us(percentile(p.firstArrivals, 50)), us(percentile(p.firstArrivals, 99)), us(max(p.firstArrivals)),
                    us(percentile(p.spreads, 50)), us(percentile(p.spreads, 99)), us(max(p.spreads)));
            StringBuilder medians = new StringBuilder();
            for (long[] v : p.perViewer) {
                medians.append(String.format(Locale.ROOT, " %.0f", us(percentile(v, 50))));
            }
            OUT.println("  p50 per viewer in play order, us:" + medians);
        }
        OUT.printf(Locale.ROOT, "  source late (sent - deadline) us: p50 %.1f  p99 %.1f  max %.1f%n",
                us(percentile(p.sourceLate, 50)), us(percentile(p.sourceLate, 99)), us(max(p.sourceLate)));
        OUT.printf("  frames lost per viewer: %s; unmatched %d, duplicates %d%n", Arrays.toString(p.lostPerViewer),
                p.unmatched, p.duplicates);
        OUT.printf(Locale.ROOT, "  CPU %% of a core: server %.2f, clients %.2f, harness %.2f, process %.2f;"
                + " GC %d collections, %d ms%n", p.percentOfCore(p.cpu(CpuSample.SERVER)),
                p.percentOfCore(p.cpu(CpuSample.CLIENT)), p.percentOfCore(p.cpu(CpuSample.HARNESS)),
                p.percentOfCore(p.processCpu), p.gcCount, p.gcMillis);
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<String, Long> g : p.serverGroups.entrySet()) {
            if (o.verbose || p.percentOfCore(g.getValue()) >= 0.05) {
                groups.append(String.format(Locale.ROOT, " %s %.2f", g.getKey(), p.percentOfCore(g.getValue())));
            }
        }
        OUT.println("  server threads, % of a core:" + groups);
        OUT.print("  slowest frames (frame: min/median/max us over viewers, source late us):");
        for (PhaseResult.FrameSpread f : p.worst) {
            OUT.printf(Locale.ROOT, " #%d %.0f/%.0f/%.0f late %.0f;", f.index(), us(f.min()), us(f.median()),
                    us(f.max()), us(f.sourceLateNanos()));
        }
        OUT.println();
        if (o.verbose) {
            for (PhaseResult.FrameSpread f : p.worst) {
                StringBuilder line = new StringBuilder();
                for (long latency : f.byViewer()) {
                    line.append(latency == TimedLiveSource.NOT_SENT ? " -"
                            : String.format(Locale.ROOT, " %.0f", us(latency)));
                }
                OUT.printf(Locale.ROOT, "    #%d sent at JVM uptime %.3f s, in play order, us:%s%n", f.index(),
                        (f.sentAtNanos() - JVM_START_NANOS) / 1e9, line);
            }
        }
    }

    private static void summary(LivePictures pictures, List<Run> runs, Options o) {
        OUT.printf(Locale.ROOT, "%n=== Summary %dx%d, %d viewers (%s)%n", pictures.width(), pictures.height(),
                o.viewers, arrivalLabel(pictures));
        OUT.println("run     load   p50 us   p90 us   p99 us   max us  lost  srv1 %  srvN %  per viewer %"
                + "  us/frame/viewer  client %/viewer");
        List<double[]> rows = new ArrayList<>();
        for (Run run : runs) {
            PhaseResult a = run.all;
            double[] row = {a.loadBefore, us(percentile(a.latencies, 50)), us(percentile(a.latencies, 90)),
                us(percentile(a.latencies, 99)), us(max(a.latencies)), a.lost(),
                run.one.percentOfCore(run.one.cpu(CpuSample.SERVER)), a.percentOfCore(a.cpu(CpuSample.SERVER)),
                run.cpuPerViewerNanosPerSecond() / 1e7, run.cpuPerViewerMicrosPerFrame(),
                a.percentOfCore(a.cpu(CpuSample.CLIENT)) / a.viewers};
            rows.add(row);
            OUT.println(row(Integer.toString(run.number), row));
        }
        double[] median = new double[rows.get(0).length];
        for (int c = 0; c < median.length; c++) {
            double[] column = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                column[r] = rows.get(r)[c];
            }
            Arrays.sort(column);
            median[c] = column.length % 2 == 1 ? column[column.length / 2]
                    : (column[column.length / 2 - 1] + column[column.length / 2]) / 2;
        }
        OUT.println(row("median", median));
    }

    private static String row(String label, double[] r) {
        return String.format(Locale.ROOT, "%-6s %5.2f %8.1f %8.1f %8.1f %8.1f %5.0f %7.2f %7.2f %13.3f %16.2f %17.2f",
                label, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]);
    }

    /**
     * Waits until the one-minute load average is at most {@code max-load}, checking every 10 s, for at most
     * {@code load-wait} seconds; the load it ends with.
     */
    private static double waitForLoad(Options o) throws InterruptedException {
        double load = loadAverage();
        long deadline = System.nanoTime() + o.loadWait * 1_000_000_000L;
        if (load > o.maxLoad) {
            OUT.printf(Locale.ROOT, "load %.2f is above %.2f: waiting up to %d s%n", load, o.maxLoad, o.loadWait);
        }
        while (load > o.maxLoad && System.nanoTime() - deadline < 0) {
            Thread.sleep(10_000);
            load = loadAverage();
        }
        if (load > o.maxLoad) {
            OUT.printf(Locale.ROOT, "load still %.2f: measuring anyway%n", load);
        }
        return load;
    }

    /** The one-minute load average from {@code /proc/loadavg}, NaN where there is none. */
    static double loadAverage() {
        try {
            String line = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII);
            return Double.parseDouble(line.trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The nearest-rank percentile of sorted values; 0 for none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static long max(long[] sorted) {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    private static double mean(long[] values) {
        return values.length == 0 ? 0 : Arrays.stream(values).average().orElse(0);
    }

    private static double us(double nanos) {
        return nanos / 1000.0;
    }

    /** Warnings only: the server's and transport's SLF4J, Netty's, and the core's java.util.logging. */
    private static void quietLogging() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        TRIBUTARY_LOG.setLevel(Level.WARNING);
    }
}
