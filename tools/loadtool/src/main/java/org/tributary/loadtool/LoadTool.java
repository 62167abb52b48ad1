package org.tributary.loadtool;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives N RTSP clients over RTP/UDP against a running server and reports, per session and overall, frames,
 * lost packets, bytes and the frames' deviation from the ideal send schedule, and with {@code --server-pid}
 * the server's CPU seconds per GB delivered. See {@link Options#USAGE}.
 *
 * <p>Threads: one receives all UDP (see {@link UdpReceiver}); a few run the RTSP requests (starts,
 * keepalives, teardowns); the main thread waits and reports. Exit status 0 when every session played,
 * 1 when one failed, 2 for a usage error.
 */
public final class LoadTool {

    private static final int CONTROL_THREADS = 4;
    /** Packets still in flight after TEARDOWN, and the server's final RTCP, are let in before counting. */
    private static final long DRAIN_MILLIS = 300;

    private LoadTool() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().isEmpty()) {
                System.err.println("loadtool: " + e.getMessage());
            }
            System.err.print(Options.USAGE);
            System.exit(e.getMessage().isEmpty() ? 0 : 2);
            return;
        }
        System.exit(run(options, System.out));
    }

    /** Runs the load and prints the report; returns the exit status. */
    static int run(Options options, PrintStream out) throws IOException, InterruptedException {
        ProcessCpu cpu = new ProcessCpu();
        double serverCpuBefore = Double.NaN;
        if (options.serverPid() != null) {
            try {
                serverCpuBefore = cpu.seconds(options.serverPid());
            } catch (IOException e) {
                out.println("loadtool: cannot read the CPU time of server process " + options.serverPid()
                        + " (" + e + "); is it running, and is this Linux?");
                return 2;
            }
        }
        double clientCpuBefore = cpu.seconds("self");
        out.printf(Locale.ROOT, "loadtool: %d sessions on %s for %d s each (udp)%n", options.sessions(),
                options.url(), options.durationSeconds());

        List<ClientSession> sessions = new ArrayList<>();
        for (int i = 0; i < options.sessions(); i++) {
            sessions.add(new ClientSession(i + 1, options.url()));
        }
        UdpReceiver receiver = new UdpReceiver();
        AtomicInteger threadNumber = new AtomicInteger();
        ScheduledExecutorService control = Executors.newScheduledThreadPool(
                Math.min(CONTROL_THREADS, options.sessions()), task -> {
                    Thread t = new Thread(task, "tributary-loadtool-rtsp-" + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        CountDownLatch finished = new CountDownLatch(sessions.size());
        AtomicInteger playing = new AtomicInteger();
        for (ClientSession session : sessions) {
            long delay = (long) (session.id() - 1) * options.rampMillis();
            control.schedule(() -> play(session, receiver, control, options, playing, finished), delay,
                    TimeUnit.MILLISECONDS);
        }

        long started = System.nanoTime();
        while (!finished.await(10, TimeUnit.SECONDS)) {
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf(Locale.ROOT, "  %5.0f s  playing %d  packets %d  %.1f Mbit/s average%n", seconds,
                    playing.get(), receiver.totalPackets(), receiver.totalBytes() * 8 / seconds / 1e6);
        }
        Thread.sleep(DRAIN_MILLIS);
        double serverCpu = Double.NaN;
        if (options.serverPid() != null) {
            try {
                serverCpu = cpu.seconds(options.serverPid()) - serverCpuBefore;
            } catch (IOException e) {
                out.println("loadtool: server process " + options.serverPid() + " ended during the run");
            }
        }
        receiver.close();
        control.shutdownNow();
        double clientCpu = cpu.seconds("self") - clientCpuBefore;

        List<SessionStats> stats = new ArrayList<>();
        int failed = 0;
        for (ClientSession session : sessions) {
            session.closeChannels();
            session.checkReceived();
            stats.add(session.stats());
            if (session.failure() != null) {
                failed++;
            }
        }
        RunSummary summary = RunSummary.of(sessions.size(), failed, stats, serverCpu, clientCpu);
        report(sessions, summary, options, out);
        if (receiver.error() != null) {
            out.println("loadtool: UDP receiving stopped early, the figures are partial: " + receiver.error());
            return 1;
        }
        return failed == 0 ? 0 : 1;
    }

    private static void play(ClientSession session, UdpReceiver receiver, ScheduledExecutorService control,
            Options options, AtomicInteger playing, CountDownLatch finished) {
        if (!session.start(receiver)) {
            finished.countDown();
            return;
        }
        playing.incrementAndGet();
        long interval = options.keepaliveSeconds() > 0 ? options.keepaliveSeconds()
                : Math.max(1, session.timeoutSeconds() / 2);
        ScheduledFuture<?> keepalive = control.scheduleAtFixedRate(session::keepalive, interval, interval,
                TimeUnit.SECONDS);
        control.schedule(() -> {
            keepalive.cancel(false);
            session.stop();
            playing.decrementAndGet();
            finished.countDown();
        }, options.durationSeconds(), TimeUnit.SECONDS);
    }

    private static void report(List<ClientSession> sessions, RunSummary summary, Options options, PrintStream out) {
        out.println();
        out.println("session  frames  incompl.   lost       MB   p50 ms   p99 ms   max ms  status");
        for (ClientSession session : sessions) {
            SessionStats s = session.stats();
            String status = session.failure() == null ? "ok" : "FAILED: " + session.failure();
            if (s == null) {
                out.printf(Locale.ROOT, "%7d  %64s  %s%n", session.id(), "", status);
                continue;
            }
            Percentiles p = new Percentiles(s.deviationsNanos());
            out.printf(Locale.ROOT, "%7d %7d %9d %6d %8.2f %8s %8s %8s  %s%n", session.id(), s.completeFrames(),
                    s.incompleteFrames(), s.lost(), s.bytes() / 1e6, millis(p, 50), millis(p, 99), millis(p, 100),
                    status);
        }
        out.println();
        out.printf(Locale.ROOT, "sessions          %d (%d failed)%n", summary.sessions(), summary.failed());
        out.printf(Locale.ROOT, "frames            %d complete, %d incomplete%n", summary.frames(),
                summary.incompleteFrames());
        out.printf(Locale.ROOT, "packets           %d received, %d lost%n", summary.packets(), summary.lost());
        out.printf(Locale.ROOT, "received          %.4f GB (%.1f Mbit/s over %d s)%n", summary.gigabytes(),
                summary.bytes() * 8 / 1e6 / options.durationSeconds(), options.durationSeconds());
        out.printf(Locale.ROOT, "frame deviation   p50 %s ms, p99 %s ms, max %s ms (over %d frames)%n",
                millis(summary.deviations(), 50), millis(summary.deviations(), 99),
                millis(summary.deviations(), 100), summary.deviations().count());
        if (options.serverPid() != null) {
            out.printf(Locale.ROOT, "server CPU        %.2f s, %.2f s per GB (pid %s)%n", summary.serverCpuSeconds(),
                    summary.serverCpuPerGigabyte(), options.serverPid());
        }
        out.printf(Locale.ROOT, "loadtool CPU      %.2f s%n", summary.clientCpuSeconds());
        out.println(summary.resultLine());
    }

    private static String millis(Percentiles p, double percentile) {
        return p.count() == 0 ? "-" : String.format(Locale.ROOT, "%.2f", p.percentile(percentile) / 1e6);
    }
}
