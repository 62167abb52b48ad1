package org.tributary.core.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;
import org.tributary.api.FrameSink;
import org.tributary.api.MediaInfo;
import org.tributary.api.MediaSource;
import org.tributary.api.OnDemandSource;
import org.tributary.api.Playback;

/**
 * How close to their deadlines the stream core's {@link Pacer} runs its tasks and hands on-demand frames to
 * viewers, and what the pacer thread costs: the figures the unit tests of {@code Pacer} and on-demand playback
 * print but do not assert (a busy machine makes them worse without anything being wrong).
 *
 * <pre>
 * ./mvnw -o -q -pl tools/benchmarks package
 * java -cp tools/benchmarks/target/benchmarks.jar org.tributary.core.internal.PacingBenchmark [--runs 3]
 * </pre>
 *
 * <p>Three measurements, each repeated {@code runs} times on a fresh pacer or core (after one unreported
 * warm-up run):
 * <ul>
 * <li><b>pacer</b>: one task rescheduling itself every 20 ms, 50 times; lateness = when it ran − its deadline.
 * <li><b>one playback</b>: an in-memory clip of 50 frames at 25 fps played by one viewer; lateness of each
 * frame = arrival − (first arrival + its timestamp), and the drift of the 50th frame.
 * <li><b>100 playbacks</b>: 100 viewers of a 75-frame clip at 25 fps sharing the one pacer thread; lateness
 * over all frames, the median drift of the last frame, and the pacer thread's CPU over the run.
 * </ul>
 * Lateness is reported as median, p99 and max (nearest rank). Lives in the core's package to reach its
 * package-private {@link StreamCore}; on a plain class path a package may span jars.
 */
public final class PacingBenchmark {

    private static final long MS = 1_000_000L;

    private PacingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--runs") && i + 1 < args.length) {
                runs = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: PacingBenchmark [--runs N]");
                System.exit(2);
            }
        }
        System.out.printf(Locale.ROOT, "load average before: %s%n", loadAverage());
        pacer(false);
        onePlayback(false);
        manyPlaybacks(false);
        for (int run = 1; run <= runs; run++) {
            System.out.printf(Locale.ROOT, "run %d%n", run);
            pacer(true);
            onePlayback(true);
            manyPlaybacks(true);
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
    }

    private static void pacer(boolean report) throws InterruptedException {
        int times = 50;
        List<Long> lateness = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(times);
        try (Pacer pacer = new Pacer("tributary-pacer-benchmark")) {
            long start = System.nanoTime() + 20 * MS;
            int[] k = {0};
            pacer.slot(now -> {
                lateness.add(System.nanoTime() - (start + k[0] * 20 * MS));
                done.countDown();
                k[0]++;
                return k[0] < times ? start + k[0] * 20 * MS : Pacer.IDLE;
            }).schedule(start);
            if (!done.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the pacer did not run its task " + times + " times in 60 s");
            }
        }
        if (report) {
            System.out.printf(Locale.ROOT, "  pacer, 1 task every 20 ms x %d: lateness %s%n", times,
                    percentiles(lateness));
        }
    }

    private static void onePlayback(boolean report) throws Exception {
        int frames = 50;
        StreamCore core = new StreamCore();
        try {
            bind(core, "clip", new ClipSource(frames, 25));
            Recorder sink = new Recorder();
            Playback playback = core.open("clip", sink);
            playback.play(null);
            sink.awaitEnd();
            playback.close();
            List<Long> arrivals = sink.arrivals;
            if (report) {
                long drift = arrivals.get(frames - 1) - (arrivals.get(0) + (frames - 1) * 40 * MS);
                System.out.printf(Locale.ROOT, "  1 playback, %d frames at 25 fps: lateness %s; 50th frame drift "
                        + "%.3f ms%n", frames, percentiles(lateness(arrivals, 40 * MS)), drift / 1e6);
            }
        } finally {
            core.deactivate();
        }
    }

    private static void manyPlaybacks(boolean report) throws Exception {
        int viewers = 100;
        int frames = 75;
        StreamCore core = new StreamCore();
        try {
            bind(core, "many", new ClipSource(frames, 25));
            List<Recorder> sinks = new ArrayList<>();
            List<Playback> playbacks = new ArrayList<>();
            for (int i = 0; i < viewers; i++) {
                Recorder sink = new Recorder();
                sinks.add(sink);
                playbacks.add(core.open("many", sink));
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long pacerId = core.pacer().thread().getId();
            long cpu0 = mx.getThreadCpuTime(pacerId);
            long wall0 = System.nanoTime();
            for (Playback p : playbacks) {
                p.play(null);
            }
            for (Recorder sink : sinks) {
                sink.awaitEnd();
            }
            long cpu = mx.getThreadCpuTime(pacerId) - cpu0;
            long wall = System.nanoTime() - wall0;
            List<Long> all = new ArrayList<>();
            List<Long> lastFrameError = new ArrayList<>();
            for (Recorder sink : sinks) {
                all.addAll(lateness(sink.arrivals, 40 * MS));
                lastFrameError.add(Math.abs(sink.arrivals.get(frames - 1)
                        - (sink.arrivals.get(0) + (frames - 1) * 40 * MS)));
            }
            for (Playback p : playbacks) {
                p.close();
            }
            if (report) {
                System.out.printf(Locale.ROOT, "  %d playbacks x %d frames at 25 fps: lateness %s; last-frame drift "
                        + "median %.3f ms; pacer CPU %.1f ms over %.0f ms (%.2f %%)%n", viewers, frames,
                        percentiles(all), percentile(lastFrameError, 50) / 1e6, cpu / 1e6, wall / 1e6,
                        100.0 * cpu / wall);
            }
        } finally {
            core.deactivate();
        }
    }

    private static void bind(StreamCore core, String name, MediaSource source) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(MediaSource.STREAM_NAME, name);
        properties.put(MediaSource.SOURCE_TYPE, "memory");
        properties.put("service.ranking", 0);
        properties.put("service.id", 1L);
        core.bindSource(source, properties);
    }

    /** Lateness of each arrival against the deadline counted from the first arrival (frames 1/25 s apart). */
    private static List<Long> lateness(List<Long> arrivals, long periodNanos) {
        List<Long> result = new ArrayList<>();
        for (int i = 0; i < arrivals.size(); i++) {
            result.add(arrivals.get(i) - (arrivals.get(0) + i * periodNanos));
        }
        return result;
    }

    private static String percentiles(List<Long> nanos) {
        return String.format(Locale.ROOT, "median %.3f ms, p99 %.3f ms, max %.3f ms", percentile(nanos, 50) / 1e6,
                percentile(nanos, 99) / 1e6, percentile(nanos, 100) / 1e6);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Arrival times of one viewer's frames, in order. */
    private static final class Recorder implements FrameSink {
        final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch ended = new CountDownLatch(1);
        private volatile EndReason reason;

        @Override
        public void onFrame(Frame frame) {
            arrivals.add(System.nanoTime());
        }

        @Override
        public void onEnd(EndReason reason, String detail) {
            this.reason = reason;
            ended.countDown();
        }

        void awaitEnd() throws InterruptedException {
            if (!ended.await(120, TimeUnit.SECONDS) || reason != EndReason.END_OF_MEDIA) {
                throw new IllegalStateException("playback did not play to its end: " + reason);
            }
        }
    }

    /** An on-demand clip of tiny JPEG-coded frames held in memory, every frame a keyframe. */
    private static final class ClipSource implements OnDemandSource {
        private final int frames;
        private final double fps;
        private final long periodNanos;
        private final ByteBuffer payload = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3,
            (byte) 0xFF, (byte) 0xD9});

        ClipSource(int frames, double fps) {
            this.frames = frames;
            this.fps = fps;
            this.periodNanos = Math.round(1e9 / fps);
        }

        @Override
        public MediaInfo info() {
            return MediaInfo.jpeg(320, 240, fps, Duration.ofNanos(frames * periodNanos));
        }

        @Override
        public FrameReader open() {
            return new FrameReader() {
                private int index;

                @Override
                public Frame next() {
                    if (index >= frames) {
                        return null;
                    }
                    Frame frame = new Frame(Codec.JPEG, index, index * periodNanos, true, payload.duplicate());
                    index++;
                    return frame;
                }

                @Override
                public Duration seek(Duration position) {
                    index = (int) Math.min(frames - 1, position.toNanos() / periodNanos);
                    return Duration.ofNanos(index * periodNanos);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
