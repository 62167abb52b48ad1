package org.tributary.rtsp.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps what it hears, for tests to look at from their own thread. */
final class Recorder implements RtspClientListener {

    final List<ReceivedFrame> frames = new CopyOnWriteArrayList<>();
    final List<Exception> errors = new CopyOnWriteArrayList<>();
    final CompletableFuture<String> end = new CompletableFuture<>();
    final List<String> callbackThreads = new CopyOnWriteArrayList<>();

    @Override
    public void onFrame(ReceivedFrame frame) {
        frames.add(frame);
        String name = Thread.currentThread().getName();
        if (!callbackThreads.contains(name)) {
            callbackThreads.add(name);
        }
    }

    @Override
    public void onEnd(String reason) {
        end.complete(reason);
    }

    @Override
    public void onError(Exception error) {
        errors.add(error);
    }

    int count() {
        return frames.size();
    }

    List<ReceivedFrame> snapshot() {
        return new ArrayList<>(frames);
    }

    /** Waits until at least {@code n} frames arrived, or the time is up; returns whether they did. */
    boolean awaitFrames(int n, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (frames.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return frames.size() >= n;
    }

    /**
     * Waits until no frame has arrived for {@code quietMillis} (what was on its way has come in), at most
     * {@code millis}; returns the count then.
     */
    int awaitQuiet(long quietMillis, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        int count = frames.size();
        long since = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            int now = frames.size();
            if (now != count) {
                count = now;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since >= quietMillis) {
                break;
            }
        }
        return count;
    }
}
