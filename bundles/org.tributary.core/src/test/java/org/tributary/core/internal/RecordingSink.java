package org.tributary.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;

/** Records what a playback delivers: each frame with its arrival time and thread, and every end. */
final class RecordingSink implements FrameSink {

    record Arrival(Frame frame, long nanos, String thread) {
    }

    record End(EndReason reason, String detail) {
    }

    private final List<Arrival> arrivals = new ArrayList<>();
    private final List<End> ends = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);

    @Override
    public void onFrame(Frame frame) {
        long now = System.nanoTime();
        synchronized (this) {
            arrivals.add(new Arrival(frame, now, Thread.currentThread().getName()));
            notifyAll();
        }
    }

    @Override
    public void onEnd(EndReason reason, String detail) {
        synchronized (this) {
            ends.add(new End(reason, detail));
        }
        ended.countDown();
    }

    synchronized List<Arrival> arrivals() {
        return new ArrayList<>(arrivals);
    }

    synchronized int count() {
        return arrivals.size();
    }

    synchronized List<End> ends() {
        return new ArrayList<>(ends);
    }

    /** Waits until {@code n} frames arrived; returns whether they did in time. */
    synchronized boolean awaitFrames(int n, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (arrivals.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    boolean awaitEnd(long timeoutMillis) throws InterruptedException {
        return ended.await(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
