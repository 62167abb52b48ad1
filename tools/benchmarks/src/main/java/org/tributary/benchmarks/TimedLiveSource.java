package org.tributary.benchmarks;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;

/**
 * A live source standing in for a camera: on its own thread ({@value #THREAD_NAME}) it hands the stream core
 * one frame every period, on absolute deadlines (a late frame does not delay the next deadline), cycling
 * through {@link LivePictures}. Frame {@code i} shows picture {@code i % count}, has the presentation time
 * {@code i} periods and is a keyframe (every JPEG frame is one).
 *
 * <p>It records {@link System#nanoTime()} immediately before handing each frame to the sink, so a receiver
 * on the same clock can tell how long the frame took to reach it. Frame numbers count from 0 at the first
 * start; a later start goes on counting rather than starting again at 0, so the record stays unambiguous.
 * Frames beyond {@code capacity} are still sent but no longer recorded.
 *
 * <p>Thread-safe: the record is written by the source's thread and read by any.
 */
final class TimedLiveSource implements LiveSource {

    /** The name of the thread that produces the frames (and runs the core's fan-out to every viewer). */
    static final String THREAD_NAME = "bench-live-source";

    /** What {@link #emittedAt} returns for a frame not sent (yet). */
    static final long NOT_SENT = Long.MIN_VALUE;

    private final LivePictures pictures;
    private final double fps;
    private final long periodNanos;
    private final AtomicLongArray emittedAt;
    private final AtomicLongArray deadlines;
    private final AtomicInteger starts = new AtomicInteger();

    // Frames handed to a sink so far, over every start.
    private volatile long emitted;
    private volatile boolean running;
    private Thread generator;

    /** @param capacity how many frames to record */
    TimedLiveSource(LivePictures pictures, double fps, int capacity) {
        this.pictures = pictures;
        this.fps = fps;
        this.periodNanos = Math.round(1e9 / fps);
        this.emittedAt = new AtomicLongArray(capacity);
        this.deadlines = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            emittedAt.set(i, NOT_SENT);
        }
    }

    @Override
    public MediaInfo info() {
        return MediaInfo.jpeg(pictures.width(), pictures.height(), fps, null);
    }

    @Override
    public synchronized void start(FrameSink sink) {
        starts.incrementAndGet();
        running = true;
        generator = new Thread(() -> generate(sink), THREAD_NAME);
        generator.setDaemon(true);
        generator.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread g = generator;
        if (g != null && g != Thread.currentThread()) {
            LockSupport.unpark(g);
            try {
                g.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        generator = null;
    }

    /** How many times the feed was started; more than one means viewers saw a gap. */
    int starts() {
        return starts.get();
    }

    /** The number of frames sent so far. */
    long emitted() {
        return emitted;
    }

    /** The number of frames the source can record. */
    int capacity() {
        return emittedAt.length();
    }

    /** When frame {@code index} was handed to the core ({@link System#nanoTime()}), or {@link #NOT_SENT}. */
    long emittedAt(long index) {
        return index >= 0 && index < emittedAt.length() ? emittedAt.get((int) index) : NOT_SENT;
    }

    /** When frame {@code index} was due ({@link System#nanoTime()}); meaningful only once it was sent. */
    long deadline(long index) {
        return deadlines.get((int) index);
    }

    /**
     * The frame that showed picture {@code picture} most recently at or before {@code atNanos}: the one a
     * receiver holding that picture at that time got. -1 if none did.
     */
    long frameOf(int picture, long atNanos) {
        int count = pictures.count();
        long last = Math.min(emitted, emittedAt.length()) - 1;
        if (picture < 0 || last < picture) {
            return -1;
        }
        long index = picture + (last - picture) / count * count;
        while (index >= 0 && emittedAt.get((int) index) - atNanos > 0) {
            index -= count;
        }
        return index;
    }

    private void generate(FrameSink sink) {
        long first = emitted;
        long t0 = System.nanoTime();
        for (long i = first; running; i++) {
            long deadline = t0 + (i - first) * periodNanos;
            long wait;
            while (running && (wait = deadline - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!running) {
                return;
            }
            Frame frame = new Frame(Codec.JPEG, i, i * periodNanos, true, pictures.jpeg((int) (i % pictures.count())));
            long now = System.nanoTime();
            if (i < emittedAt.length()) {
                deadlines.set((int) i, deadline);
                emittedAt.set((int) i, now);
            }
            emitted = i + 1;
            sink.onFrame(frame);
        }
    }
}
