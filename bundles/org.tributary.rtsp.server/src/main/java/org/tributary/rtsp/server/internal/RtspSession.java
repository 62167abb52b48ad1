package org.tributary.rtsp.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryStats;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.MediaInfo;
import org.tributary.api.Playback;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.StreamException;
import org.tributary.api.Streams;
import org.tributary.api.Transport;
import org.tributary.rtp.RtpException;

/**
 * An RTSP session: one client playing one stream over one track, with its {@link Playback}, its
 * {@link Delivery} and the {@link RtpOut} that turns frames into packets.
 *
 * <p>Threads: control operations (setup, play, pause, end) come from request workers, the timer, transports
 * and the pacer, and are serialized by the session's own control lock, which may be held across blocking
 * calls. Frames arrive on the pacer thread and touch only volatile fields and the {@link RtpOut}, so a
 * blocked control operation never delays the pacer.
 */
final class RtspSession {

    private static final Logger LOG = LoggerFactory.getLogger(RtspSession.class);

    /** Sender reports go out this often while playing (RFC 3550 §6.2, PROTOCOL.md §9). */
    static final long REPORT_INTERVAL_NANOS = 5_000_000_000L;

    private final String id;
    private final boolean lab;
    private final String stream;
    private final MediaInfo media;
    private final InetSocketAddress client;
    private final RtspConnection connection;
    private final Instant started = Instant.now();
    private final Streams streams;
    private final SessionRegistry registry;
    private final ReentrantLock control = new ReentrantLock();
    private final AtomicBoolean ended = new AtomicBoolean();

    private volatile long lastActivity = System.nanoTime();
    private volatile SessionState state = SessionState.INIT;
    private volatile RtpOut rtp;
    private volatile Sink sink;
    private volatile Delivery delivery;
    private volatile boolean endOfMedia;
    private volatile long nextReportAt;

    private Playback playback;
    private Transport transport;
    private String profile = "";
    private String trackUrl = "";
    private long skippedFrames;

    RtspSession(String id, boolean lab, String stream, MediaInfo media, InetSocketAddress client,
            RtspConnection connection, Streams streams, SessionRegistry registry) {
        this.id = id;
        this.lab = lab;
        this.stream = stream;
        this.media = media;
        this.client = client;
        this.connection = connection;
        this.streams = streams;
        this.registry = registry;
    }

    String id() {
        return id;
    }

    boolean lab() {
        return lab;
    }

    String stream() {
        return stream;
    }

    MediaInfo media() {
        return media;
    }

    RtspConnection connection() {
        return connection;
    }

    SessionState state() {
        return state;
    }

    boolean ended() {
        return ended.get();
    }

    /** Refreshes the timeout: any request with the session id, any RTCP from the client. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    long lastActivity() {
        return lastActivity;
    }

    /** Opens the session's playback; frames are not delivered before {@link #play}. */
    void open(RtpOut out) throws StreamException {
        control.lock();
        try {
            rtp = out;
            Sink next = new Sink();
            playback = streams.open(stream, next);
            sink = next;
        } finally {
            control.unlock();
        }
    }

    RtpOut rtp() {
        return rtp;
    }

    /** The listener for a delivery this session is about to open. */
    DeliveryListener newListener() {
        return new Listener();
    }

    /**
     * Puts a delivery on the track, replacing any earlier one (a client re-SETUP, e.g. FFmpeg falling back
     * from UDP to TCP), which is closed.
     */
    void setDelivery(Delivery next, DeliveryListener listener, Transport by, String nextProfile, String url) {
        Delivery previous;
        control.lock();
        try {
            if (listener instanceof Listener l) {
                l.delivery = next;
            }
            previous = delivery;
            delivery = next;
            transport = by;
            profile = nextProfile;
            trackUrl = url;
            if (state == SessionState.INIT) {
                state = SessionState.READY;
            }
        } finally {
            control.unlock();
        }
        if (previous != null && previous != next) {
            previous.close();
        }
    }

    boolean hasDelivery() {
        return delivery != null;
    }

    Delivery delivery() {
        return delivery;
    }

    Transport transport() {
        return transport;
    }

    String trackUrl() {
        return trackUrl;
    }

    /** What PLAY answers: where playing starts and the first packet's sequence number and timestamp. */
    record PlayStart(Duration start, int sequence, int rtpTimestamp) {
    }

    /**
     * Starts, resumes or seeks (PLAY). On a live stream the position is ignored.
     *
     * @param position where to play from, {@code null} to resume
     * @throws IllegalArgumentException if the position lies beyond the end of the media
     * @throws StreamException if the stream cannot be played again after its end
     * @throws IllegalStateException if the session has ended
     */
    PlayStart play(Duration position) throws StreamException {
        control.lock();
        try {
            if (ended.get()) {
                throw new IllegalStateException("session " + id + " has ended");
            }
            Duration from = media.live() ? null : position;
            if (from != null && media.duration() != null && from.compareTo(media.duration()) > 0) {
                throw new IllegalArgumentException("position " + NptRange.format(from) + " s is past the end ("
                        + NptRange.format(media.duration()) + " s)");
            }
            RtpOut out = rtp;
            if (state == SessionState.PLAYING && from == null) {
                return new PlayStart(playback.position(), out.nextSequence(), out.rtpTimestamp(playback.position()));
            }
            if (state == SessionState.PLAYING) {
                playback.pause();
            }
            if (endOfMedia) {
                reopen();
                if (from == null) {
                    from = Duration.ZERO;
                }
            }
            if (!media.live()) {
                out.anchor(from != null ? from : playback.position());
            }
            int sequence = out.nextSequence();
            state = SessionState.PLAYING;
            Duration start;
            try {
                start = playback.play(from);
            } catch (RuntimeException e) {
                state = SessionState.READY;
                throw e;
            }
            endOfMedia = false;
            sendReport();
            return new PlayStart(start, sequence, out.rtpTimestamp(start));
        } finally {
            control.unlock();
        }
    }

    /** Stops sending and keeps the position (PAUSE). */
    void pause() {
        control.lock();
        try {
            if (state == SessionState.PLAYING && !ended.get()) {
                playback.pause();
                state = SessionState.READY;
            }
        } finally {
            control.unlock();
        }
    }

    /** After the end of the media the playback is spent: a new one replays the stream. */
    private void reopen() throws StreamException {
        Sink next = new Sink();
        Playback fresh = streams.open(stream, next);
        Playback spent = playback;
        playback = fresh;
        sink = next;
        spent.close();
    }

    /** Sends a sender report when one is due; called by the timer about once a second. */
    void reportIfDue(long now) {
        if (state == SessionState.PLAYING && now - nextReportAt >= 0) {
            sendReport();
        }
    }

    private void sendReport() {
        nextReportAt = System.nanoTime() + REPORT_INTERVAL_NANOS;
        Delivery d = delivery;
        RtpOut out = rtp;
        if (d != null && out != null) {
            d.sendControl(out.senderReport());
        }
    }

    /**
     * Ends the session once: stops the playback, tells the client with RTCP BYE where possible, and closes
     * the delivery (after a short delay, so the BYE leaves first).
     *
     * @return {@code false} if it had already ended
     */
    boolean end(String reason, boolean bye) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        control.lock();
        try {
            sink = null;
            state = SessionState.INIT;
            if (playback != null) {
                playback.close();
            }
            Delivery d = delivery;
            RtpOut out = rtp;
            if (d != null) {
                if (bye && out != null) {
                    d.sendControl(out.bye(reason));
                }
                registry.closeSoon(d);
            }
            if (out != null) {
                registry.releaseRtp(this, out);
            }
        } finally {
            control.unlock();
        }
        return true;
    }

    SessionInfo info() {
        Delivery d = delivery;
        return new SessionInfo(id, client, stream, profile, state, started, d == null ? DeliveryStats.NONE : d.stats());
    }

    private void skipped(Frame frame, RtpException e) {
        long count;
        synchronized (this) {
            count = ++skippedFrames;
        }
        if (count == 1) {
            LOG.warn("Session {} on stream '{}': frame #{} cannot be sent and is skipped ({}); further skipped "
                    + "frames of this session are counted, not logged", id, stream, frame.index(), e.getMessage());
        }
    }

    synchronized long skippedFrames() {
        return skippedFrames;
    }

    /** Receives one playback's frames; frames of a replaced playback are ignored. */
    private final class Sink implements FrameSink {

        @Override
        public void onFrame(Frame frame) {
            if (sink != this || state != SessionState.PLAYING) {
                return;
            }
            Delivery d = delivery;
            List<ByteBuffer> packets;
            try {
                packets = rtp.packets(frame);
            } catch (RtpException e) {
                skipped(frame, e);
                return;
            }
            if (d != null) {
                d.send(packets);
            }
        }

        @Override
        public void onEnd(EndReason reason, String detail) {
            if (sink != this) {
                return;
            }
            if (reason == EndReason.END_OF_MEDIA) {
                endOfMedia = true;
                state = SessionState.READY;
                Delivery d = delivery;
                RtpOut out = rtp;
                if (d != null && out != null) {
                    d.sendControl(out.bye("end of stream"));
                }
                return;
            }
            registry.endLater(RtspSession.this, reason, detail);
        }
    }

    /** Hears a delivery's return path; a replaced delivery's news is ignored. */
    private final class Listener implements DeliveryListener {

        volatile Delivery delivery;

        @Override
        public void onControl(ByteBuffer rtcp) {
            touch();
        }

        @Override
        public void onClosed(String reason) {
            Delivery mine = delivery;
            if (mine != null && mine == RtspSession.this.delivery) {
                registry.endLater(RtspSession.this, EndReason.STOPPED, "delivery closed: " + reason);
            }
        }
    }
}
