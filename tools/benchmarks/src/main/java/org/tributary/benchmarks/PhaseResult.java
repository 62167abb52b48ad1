package org.tributary.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What one measured window of a {@link LiveLatency} run saw: source-to-receiver latency of every frame the
 * source sent in the window, for every viewer; frames each viewer missed; and the CPU time of each side.
 *
 * <p>Latency of a frame at a viewer: {@link Viewer#arrival} (when the client's receive thread read the packet
 * that completed the frame) minus {@link TimedLiveSource#emittedAt} (just before the source handed the frame
 * to the core). Both are {@link System#nanoTime()} of this JVM. Percentiles are nearest-rank. Immutable.
 */
final class PhaseResult {

    /**
     * One frame's latencies: sorted over the viewers that got it, and by viewer in play order (the order of the
     * core's fan-out), {@link TimedLiveSource#NOT_SENT} where a viewer missed it; and how late the source was
     * with it. {@code sentAtNanos} is {@link TimedLiveSource#emittedAt}.
     */
    record FrameSpread(long index, long sentAtNanos, long[] latencies, long[] byViewer, long sourceLateNanos) {
        long min() {
            return latencies[0];
        }

        long max() {
            return latencies[latencies.length - 1];
        }

        long median() {
            return LiveLatency.percentile(latencies, 50);
        }
    }

    final int viewers;
    final long windowNanos;
    final long frames;
    final long[] latencies;
    final long[][] perViewer;
    final long[] lostPerViewer;
    final long unmatched;
    final long duplicates;
    final long[] firstArrivals;
    final long[] spreads;
    final long[] sourceLate;
    final List<FrameSpread> worst;
    final Map<String, Long> sides;
    final Map<String, Long> serverGroups;
    final long processCpu;
    final long gcCount;
    final long gcMillis;
    final double loadBefore;
    final double loadAfter;

    private PhaseResult(int viewers, long windowNanos, long frames, long[] latencies, long[][] perViewer,
            long[] lostPerViewer, long unmatched, long duplicates, long[] firstArrivals, long[] spreads,
            long[] sourceLate, List<FrameSpread> worst, CpuSample before, CpuSample after, double loadBefore,
            double loadAfter) {
        this.viewers = viewers;
        this.windowNanos = windowNanos;
        this.frames = frames;
        this.latencies = latencies;
        this.perViewer = perViewer;
        this.lostPerViewer = lostPerViewer;
        this.unmatched = unmatched;
        this.duplicates = duplicates;
        this.firstArrivals = firstArrivals;
        this.spreads = spreads;
        this.sourceLate = sourceLate;
        this.worst = worst;
        this.sides = after.sidesSince(before);
        this.serverGroups = after.serverGroupsSince(before);
        this.processCpu = after.processSince(before);
        this.gcCount = after.gcCountSince(before);
        this.gcMillis = after.gcMillisSince(before);
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
    }

    /**
     * Gathers the frames the source sent from {@code from} (inclusive) to {@code to} (exclusive) and what each
     * viewer made of them.
     *
     * @param worstFrames how many of the frames with the largest latency to keep for the report
     */
    static PhaseResult of(TimedLiveSource source, List<Viewer> viewers, long from, long to, CpuSample before,
            CpuSample after, double loadBefore, double loadAfter, int worstFrames) {
        int n = viewers.size();
        List<Long> all = new ArrayList<>();
        List<List<Long>> each = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            each.add(new ArrayList<>());
        }
        long[] lost = new long[n];
        List<Long> first = new ArrayList<>();
        List<Long> spread = new ArrayList<>();
        List<Long> late = new ArrayList<>();
        List<FrameSpread> frameSpreads = new ArrayList<>();
        long frames = 0;
        long last = Math.min(source.emitted(), source.capacity());
        for (long i = 0; i < last; i++) {
            long sent = source.emittedAt(i);
            if (sent - from < 0 || sent - to >= 0) {
                continue;
            }
            frames++;
            late.add(sent - source.deadline(i));
            List<Long> frameLatencies = new ArrayList<>(n);
            long[] byViewer = new long[n];
            for (int v = 0; v < n; v++) {
                long arrival = viewers.get(v).arrival(i);
                if (arrival == TimedLiveSource.NOT_SENT) {
                    lost[v]++;
                    byViewer[v] = TimedLiveSource.NOT_SENT;
                    continue;
                }
                long latency = arrival - sent;
                byViewer[v] = latency;
                all.add(latency);
                each.get(v).add(latency);
                frameLatencies.add(latency);
            }
            if (!frameLatencies.isEmpty()) {
                long[] sorted = sorted(frameLatencies);
                first.add(sorted[0]);
                spread.add(sorted[sorted.length - 1] - sorted[0]);
                frameSpreads.add(new FrameSpread(i, sent, sorted, byViewer, sent - source.deadline(i)));
            }
        }
        long[][] perViewer = new long[n][];
        long unmatched = 0;
        long duplicates = 0;
        for (int v = 0; v < n; v++) {
            perViewer[v] = sorted(each.get(v));
            unmatched += viewers.get(v).unmatched();
            duplicates += viewers.get(v).duplicates();
        }
        frameSpreads.sort(Comparator.comparingLong(FrameSpread::max).reversed());
        List<FrameSpread> worst = List.copyOf(frameSpreads.subList(0, Math.min(worstFrames, frameSpreads.size())));
        return new PhaseResult(n, to - from, frames, sorted(all), perViewer, lost, unmatched, duplicates,
                sorted(first), sorted(spread), sorted(late), worst, before, after, loadBefore, loadAfter);
    }

    /** Frames the viewers missed in the window, all viewers together. */
    long lost() {
        return Arrays.stream(lostPerViewer).sum();
    }

    /** CPU nanoseconds of one side ({@link CpuSample#SERVER}, {@link CpuSample#CLIENT}) in the window. */
    long cpu(String side) {
        return sides.getOrDefault(side, 0L);
    }

    /** A side's CPU time as a share of one core over the window, in percent. */
    double percentOfCore(long cpuNanos) {
        return 100.0 * cpuNanos / windowNanos;
    }

    private static long[] sorted(List<Long> values) {
        long[] a = new long[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        Arrays.sort(a);
        return a;
    }
}
