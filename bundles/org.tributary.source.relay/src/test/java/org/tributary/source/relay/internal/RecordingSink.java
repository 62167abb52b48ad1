package org.tributary.source.relay.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;

/** Keeps what a source delivered, with arrival times, and lets a test wait for it. */
final class RecordingSink implements FrameSink {

    /** How {@code onEnd} was called. */
    record End(EndReason reason, String detail) {
    }

    final CompletableFuture<End> end = new CompletableFuture<>();
    private final List<Frame> frames = new ArrayList<>();
    private final List<Long> arrivals = new ArrayList<>();

    @Override
    public synchronized void onFrame(Frame frame) {
        if (end.isDone()) {
            throw new AssertionError("a frame after onEnd: " + frame);
        }
        frames.add(frame);
        arrivals.add(System.nanoTime());
        notifyAll();
    }

    @Override
    public void onEnd(EndReason reason, String detail) {
        if (!end.complete(new End(reason, detail))) {
            throw new AssertionError("onEnd called twice: " + reason + " " + detail);
        }
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized long arrival(int i) {
        return arrivals.get(i);
    }

    synchronized int count() {
        return frames.size();
    }

    /** Waits until {@code count} frames have arrived in all. */
    synchronized void awaitFrames(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("only " + frames.size() + " of " + count + " frames within " + timeout
                        + (end.isDone() ? "; ended: " + end.join() : ""));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
