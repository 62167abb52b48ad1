package org.tributary.loadtool;

import java.util.List;
import java.util.Locale;

/**
 * The figures of a whole run, over all sessions: frames, loss, bytes, and the frame deviation percentiles
 * over every frame of every session (each session's deviations already relative to its own most punctual
 * frame). Immutable.
 *
 * @param sessions sessions attempted
 * @param failed sessions that failed
 * @param frames complete frames
 * @param incompleteFrames frames with a lost packet or without a marker
 * @param lost packets lost
 * @param packets RTP packets received
 * @param bytes RTP bytes received, headers included
 * @param deviations percentiles of the deviation in nanoseconds; {@code count() == 0} when no frame arrived
 * @param serverCpuSeconds CPU the server used during the run, NaN when not measured
 * @param clientCpuSeconds CPU this tool used during the run
 */
record RunSummary(int sessions, int failed, long frames, long incompleteFrames, long lost, long packets, long bytes,
        Percentiles deviations, double serverCpuSeconds, double clientCpuSeconds) {

    /** Sums the statistics of the sessions that got as far as SETUP; {@code null} entries are sessions that did not. */
    static RunSummary of(int sessions, int failed, List<SessionStats> stats, double serverCpuSeconds,
            double clientCpuSeconds) {
        long frames = 0;
        long incomplete = 0;
        long lost = 0;
        long packets = 0;
        long bytes = 0;
        int total = 0;
        for (SessionStats s : stats) {
            if (s != null) {
                total += s.deviationsNanos().length;
            }
        }
        long[] all = new long[total];
        int at = 0;
        for (SessionStats s : stats) {
            if (s == null) {
                continue;
            }
            frames += s.completeFrames();
            incomplete += s.incompleteFrames();
            lost += s.lost();
            packets += s.packets();
            bytes += s.bytes();
            long[] d = s.deviationsNanos();
            System.arraycopy(d, 0, all, at, d.length);
            at += d.length;
        }
        return new RunSummary(sessions, failed, frames, incomplete, lost, packets, bytes, new Percentiles(all),
                serverCpuSeconds, clientCpuSeconds);
    }

    /** Gigabytes (10^9 bytes) received. */
    double gigabytes() {
        return bytes / 1e9;
    }

    /** Server CPU seconds per GB delivered; NaN when not measured or nothing was delivered. */
    double serverCpuPerGigabyte() {
        return bytes == 0 ? Double.NaN : serverCpuSeconds / gigabytes();
    }

    /** A deviation percentile in milliseconds, NaN when no frame arrived. */
    double deviationMillis(double percentile) {
        return deviations.count() == 0 ? Double.NaN : deviations.percentile(percentile) / 1e6;
    }

    /** The machine-readable line: {@code RESULT key=value ...}, NA for what was not measured. */
    String resultLine() {
        return String.format(Locale.ROOT,
                "RESULT sessions=%d frames=%d p50_ms=%s p99_ms=%s max_ms=%s lost=%d gb=%.4f cpu_s=%s cpu_s_per_gb=%s"
                        + " failed=%d incomplete=%d packets=%d client_cpu_s=%.2f",
                sessions, frames, number(deviationMillis(50), 3), number(deviationMillis(99), 3),
                number(deviationMillis(100), 3), lost, gigabytes(), number(serverCpuSeconds, 2),
                number(serverCpuPerGigabyte(), 2), failed, incompleteFrames, packets, clientCpuSeconds);
    }

    private static String number(double value, int decimals) {
        return Double.isNaN(value) ? "NA" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
