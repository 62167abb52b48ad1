package org.tributary.benchmarks;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.ReceiverStatistics;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspClientOptions;

/**
 * One viewer of the live stream: an {@link RtspClient} over RTP/UDP that notes, for every frame it receives,
 * which frame of the {@link TimedLiveSource} it was (by the picture's scan data and the time) and when the
 * packet that completed it arrived ({@link ReceivedFrame#receivedAtNanos()}, taken when the client's receive
 * thread read the datagram).
 *
 * <p>The matching runs in the client's callback, on its receive thread: one JFIF parse and one hash lookup
 * per frame, counted in the client's CPU time, not the server's.
 *
 * <p>Thread-safe: the callbacks write, any thread reads.
 */
final class Viewer implements RtspClientListener, AutoCloseable {

    private final TimedLiveSource source;
    private final LivePictures pictures;
    private final AtomicLongArray arrivals;
    private final AtomicLong unmatched = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String endReason;
    private volatile RtspClient client;

    Viewer(TimedLiveSource source, LivePictures pictures) {
        this.source = source;
        this.pictures = pictures;
        this.arrivals = new AtomicLongArray(source.capacity());
        for (int i = 0; i < arrivals.length(); i++) {
            arrivals.set(i, TimedLiveSource.NOT_SENT);
        }
    }

    /** Connects, describes, sets up over UDP and plays; returns once the server answered PLAY. */
    void play(String url) throws IOException {
        client = RtspClient.start(url, RtspClientOptions.builder().transport(LowerTransport.UDP).build(), this);
    }

    @Override
    public void onFrame(ReceivedFrame frame) {
        long arrival = frame.receivedAtNanos();
        long index = source.frameOf(pictures.pictureOf(frame.data()), arrival);
        if (index < 0) {
            unmatched.incrementAndGet();
        } else if (!arrivals.compareAndSet((int) index, TimedLiveSource.NOT_SENT, arrival)) {
            duplicates.incrementAndGet();
        }
    }

    @Override
    public void onEnd(String reason) {
        endReason = reason;
    }

    @Override
    public void onError(Exception error) {
        errors.incrementAndGet();
    }

    /** When frame {@code index} arrived, or {@link TimedLiveSource#NOT_SENT} if it did not. */
    long arrival(long index) {
        return arrivals.get((int) index);
    }

    /** Frames received that match no frame the source sent. */
    long unmatched() {
        return unmatched.get();
    }

    /** Frames received a second time. */
    long duplicates() {
        return duplicates.get();
    }

    /** Errors the client reported that did not end the stream. */
    long errors() {
        return errors.get();
    }

    /** Why the stream ended for this viewer, {@code null} while it plays. */
    String endReason() {
        return endReason;
    }

    /** The client's own counts (packets, packets lost, frames dropped) since it started. */
    ReceiverStatistics statistics() {
        RtspClient c = client;
        return c == null ? null : c.statistics();
    }

    /** Tears the session down and stops the client's threads. */
    @Override
    public void close() {
        RtspClient c = client;
        if (c != null) {
            c.close();
        }
    }
}
