package org.tributary.source.webcam.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;

/** Keeps every frame and the end, and lets a test wait for either. */
final class RecordingSink implements FrameSink {

    private final List<Frame> frames = new ArrayList<>();
    private final CountDownLatch end = new CountDownLatch(1);
    private volatile EndReason reason;
    private volatile String detail;
    private int ends;

    @Override
    public synchronized void onFrame(Frame frame) {
        frames.add(frame);
        notifyAll();
    }

    @Override
    public void onEnd(EndReason why, String text) {
        synchronized (this) {
            ends++;
        }
        reason = why;
        detail = text;
        end.countDown();
    }

    synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    synchronized int count() {
        return frames.size();
    }

    synchronized int ends() {
        return ends;
    }

    /** Waits until {@code n} frames came; false if the time ran out or the feed ended first. */
    synchronized boolean awaitFrames(int n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.size() < n && end.getCount() > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return frames.size() >= n;
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return end.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    EndReason reason() {
        return reason;
    }

    String detail() {
        return detail;
    }
}
