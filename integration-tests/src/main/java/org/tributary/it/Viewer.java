package org.tributary.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspClientOptions;

/** One viewer playing a stream with the RTSP client library, keeping when each frame arrived. */
public final class Viewer implements RtspClientListener, AutoCloseable {

    /** A frame as received: its RTP timestamp and arrival time. */
    public record Arrival(long rtpTimestamp, long receivedNanos, int size) {
    }

    private final RtspClient client;
    private final List<Arrival> arrivals = new ArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile String endReason;

    private Viewer(String url, LowerTransport transport) throws Exception {
        RtspClientOptions options = RtspClientOptions.builder().transport(transport)
                .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30)).build();
        this.client = RtspClient.start(url, options, this);
    }

    /** Starts playing {@code url} over the given transport. */
    public static Viewer play(String url, LowerTransport transport) throws Exception {
        return new Viewer(url, transport);
    }

    @Override
    public void onFrame(ReceivedFrame frame) {
        synchronized (arrivals) {
            arrivals.add(new Arrival(frame.rtpTimestamp(), frame.receivedAtNanos(), frame.size()));
            arrivals.notifyAll();
        }
    }

    @Override
    public void onEnd(String reason) {
        endReason = reason;
        ended.countDown();
    }

    public RtspClient client() {
        return client;
    }

    public List<Arrival> arrivals() {
        synchronized (arrivals) {
            return List.copyOf(arrivals);
        }
    }

    public int frames() {
        synchronized (arrivals) {
            return arrivals.size();
        }
    }

    /** Waits until {@code count} more frames than now have arrived. */
    public void awaitMoreFrames(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (arrivals) {
            int target = arrivals.size() + count;
            while (arrivals.size() < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + (arrivals.size() - target + count) + " of " + count
                            + " frames within " + timeout + " (" + client.transport() + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
    }

    /** Whether the stream ended (RTCP BYE or connection lost) within the timeout. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String endReason() {
        return endReason;
    }

    /**
     * The largest step between consecutive frames received after {@code sinceNanos}, in frame periods of the
     * given rate, from their RTP timestamps: 1 means no frame was missed.
     */
    public double largestStepInFrames(long sinceNanos, double frameRate) {
        List<Arrival> list = arrivals();
        double largest = 0;
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).receivedNanos() < sinceNanos) {
                continue;
            }
            long step = (list.get(i).rtpTimestamp() - list.get(i - 1).rtpTimestamp()) & 0xFFFFFFFFL;
            largest = Math.max(largest, step * frameRate / 90000.0);
        }
        return largest;
    }

    /** The longest wait between two frames received after {@code sinceNanos}, in milliseconds. */
    public double longestWaitMillis(long sinceNanos) {
        List<Arrival> list = arrivals();
        double longest = 0;
        for (int i = 1; i < list.size(); i++) {
            if (list.get(i).receivedNanos() >= sinceNanos) {
                longest = Math.max(longest, (list.get(i).receivedNanos() - list.get(i - 1).receivedNanos()) / 1e6);
            }
        }
        return longest;
    }

    @Override
    public void close() {
        client.close();
    }
}
