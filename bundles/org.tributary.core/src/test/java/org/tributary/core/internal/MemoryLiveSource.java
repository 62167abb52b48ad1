package org.tributary.core.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;

/** A live source generating frames on its own thread, like a camera; can be made slow to start or to fail. */
final class MemoryLiveSource implements LiveSource {

    final double fps;
    final int keyEvery;
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final List<String> startThreads = new CopyOnWriteArrayList<>();
    volatile CountDownLatch startGate;
    /** What {@link #problem()} answers; cleared by the first frame of a feed, as a real source would. */
    volatile String problem = "";
    private final ByteBuffer payload = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF,
            (byte) 0xD9});
    private volatile boolean running;
    private volatile FrameSink sink;
    private Thread generator;

    MemoryLiveSource(double fps, int keyEvery) {
        this.fps = fps;
        this.keyEvery = keyEvery;
    }

    @Override
    public MediaInfo info() {
        return MediaInfo.jpeg(640, 480, fps, null);
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public synchronized void start(FrameSink sink) {
        startThreads.add(Thread.currentThread().getName());
        starts.incrementAndGet();
        CountDownLatch gate = startGate;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        this.sink = sink;
        running = true;
        generator = new Thread(this::generate, "test-camera");
        generator.setDaemon(true);
        generator.start();
    }

    @Override
    public synchronized void stop() {
        halt();
        stops.incrementAndGet();
    }

    /** The camera fails: frames stop and the feed reports FAILED. */
    synchronized void fail(String detail) {
        halt();
        sink.onEnd(EndReason.FAILED, detail);
    }

    private void halt() {
        running = false;
        Thread g = generator;
        if (g != null && g != Thread.currentThread()) {
            try {
                g.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        generator = null;
    }

    private void generate() {
        long period = Math.round(1e9 / fps);
        long t0 = System.nanoTime();
        long i = 0;
        while (running) {
            problem = "";
            sink.onFrame(new Frame(Codec.JPEG, i, i * period, i % keyEvery == 0, payload));
            i++;
            long wait = t0 + i * period - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
