package org.tributary.rtsp.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Codec;
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
 * {@link Delivery} and the {@link RtpOut} that turns frames into packets. A <em>push</em> is a session without
 * an RTSP connection: it plays from its creation to a destination host and port, never times out, and ends by
 * {@link SessionRegistry#kick}, the end of the stream, or its transport going away.
 *
 * <p>Joining a live stream: the playback delivers from the next keyframe on, so the first packet a new viewer
 * gets is not the stream's next packet. A PLAY therefore waits (briefly) for the viewer's first frame and answers
 * {@code RTP-Info} with the sequence number and timestamp of that frame's first packet. Every PLAY, live or
 * on-demand, holds its packets until the reply has been written, so they never overtake it (a client reading
 * interleaved data before its PLAY reply drops it, and loses an on-demand stream's first frame).
 *
 * <p>H.264 after a lost frame: a frame the delivery drops breaks every frame that refers to it, so after a
 * drop the session sends nothing until the next keyframe (counted with the delivery's dropped frames).
 *
 * <p>Threads: control operations (setup, play, pause, end) come from request workers, the timer, transports
 * and the pacer, and are serialized by the session's own control lock, which may be held across blocking
 * calls. Frames arrive on the pacer thread and touch only volatile fields and the {@link RtpOut}, so a
 * blocked control operation never delays the pacer; while a join holds packets, the frame path takes the
 * join's own lock, which no blocking call holds.
 */
final class RtspSession {

    private static final Logger LOG = LoggerFactory.getLogger(RtspSession.class);

    /** Sender reports go out this often while playing (RFC 3550 §6.2, PROTOCOL.md §9). */
    static final long REPORT_INTERVAL_NANOS = 5_000_000_000L;

    /** The longest a live PLAY waits for the viewer's first frame (a keyframe) before answering anyway. */
    static final long JOIN_WAIT_MILLIS = 2000;

    /** Frames a join holds at most while its reply is being written; more are dropped (never expected). */
    private static final int MAX_HELD_FRAMES = 64;

    private final String id;
    private final boolean lab;
    private final String stream;
    private final MediaInfo media;
    private final InetSocketAddress client;
    private final RtspConnection connection;
    private final boolean push;
    private final Instant started = Instant.now();
    private final Streams streams;
    private final SessionRegistry registry;
    private final ReentrantLock control = new ReentrantLock();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final LongAdder skippedToKeyframe = new LongAdder();

    private volatile long lastActivity = System.nanoTime();
    private volatile SessionState state = SessionState.INIT;
    private volatile RtpOut rtp;
    private volatile Sink sink;
    private volatile Delivery delivery;
    private volatile boolean endOfMedia;
    private volatile long nextReportAt;
    private volatile boolean awaitingKeyframe;
    private volatile Join join;
    private volatile String description;

    private Playback playback;
    private Transport transport;
    private String profile = "";
    private String trackUrl = "";
    private long skippedFrames;

    /**
     * @param client the RTSP client's address, or a push's destination
     * @param connection the RTSP connection; {@code null} for a push
     */
    RtspSession(String id, boolean lab, String stream, MediaInfo media, InetSocketAddress client,
            RtspConnection connection, Streams streams, SessionRegistry registry) {
        this.id = id;
        this.lab = lab;
        this.stream = stream;
        this.media = media;
        this.client = client;
        this.connection = connection;
        this.push = connection == null;
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

    /** Whether this is a push: no RTSP connection, no timeout. */
    boolean push() {
        return push;
    }

    /** The SDP of a push, for its receivers; {@code null} for an RTSP session. */
    String description() {
        return description;
    }

    void description(String sdp) {
        description = sdp;
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

    /**
     * What PLAY answers: where playing starts and the first packet's sequence number and timestamp.
     *
     * @param joining whether the session joins a live stream and holds its first packets: call
     *        {@link #awaitFirstPacket} for exact numbers and {@link #releaseJoin()} once the reply is written
     */
    record PlayStart(Duration start, int sequence, int rtpTimestamp, boolean joining) {
    }

    /**
     * Starts, resumes or seeks (PLAY). On a live stream the position is ignored. A session of an RTSP client
     * joining a shared live stream starts holding its packets (see the class comment).
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
                return new PlayStart(playback.position(), out.nextSequence(), out.rtpTimestamp(playback.position()),
                        false);
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
            // Every RTSP session holds its first packets until the PLAY reply is written: over TCP they would
            // otherwise overtake it, and clients drop what arrives before the reply. Only a shared live stream
            // also waits for its first frame, to name its first packet in RTP-Info.
            boolean joining = media.live() && out.shared() && !push;
            if (!push) {
                releaseJoin();
                join = new Join();
            }
            awaitingKeyframe = false;
            int sequence = out.nextSequence();
            state = SessionState.PLAYING;
            Duration start;
            try {
                start = playback.play(from);
            } catch (RuntimeException e) {
                state = SessionState.READY;
                releaseJoin();
                throw e;
            }
            endOfMedia = false;
            sendReport();
            return new PlayStart(start, sequence, out.rtpTimestamp(start), joining);
        } finally {
            control.unlock();
        }
    }

    /**
     * Waits up to {@code millis} for the first frame of a joining session and returns the sequence number and
     * timestamp of its first packet; {@code estimate} when no frame came in time (the first packet then
     * carries later numbers); {@code null} when the session ended meanwhile (its stream failed or went, or it
     * was kicked): the reply says so instead, and the session sent no BYE ahead of it. Called without the
     * control lock, so a kick is not held up meanwhile.
     */
    PlayStart awaitFirstPacket(PlayStart estimate, long millis) {
        Join j = join;
        if (!estimate.joining()) {
            return j == null || j.replying() ? estimate : null;
        }
        if (j == null) {
            // Only the session's end clears a join before its reply: it ended between play() and here.
            return ended.get() ? null : estimate;
        }
        try {
            j.first.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!j.replying()) {
            return null;
        }
        ByteBuffer first = j.firstPacket();
        if (first == null) {
            return estimate;
        }
        return new PlayStart(estimate.start(), first.getShort(2) & 0xFFFF, first.getInt(4), true);
    }

    /** Sends what a join held and lets frames go straight to the delivery again. Idempotent. */
    void releaseJoin() {
        Join j = join;
        if (j != null) {
            j.release();
            if (join == j) {
                join = null;
            }
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
            Join j = join;
            join = null;
            if (j != null && j.discard()) {
                // A PLAY reply is still to come: it tells the client, and a BYE ahead of it would be ignored.
                bye = false;
            }
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
        DeliveryStats stats = d == null ? DeliveryStats.NONE : d.stats();
        long skipped = skippedToKeyframe.sum();
        if (skipped > 0) {
            stats = new DeliveryStats(stats.packets(), stats.bytes(), stats.droppedFrames() + skipped);
        }
        return new SessionInfo(id, client, stream, profile, state, started, stats);
    }

    /**
     * Hands a frame's packets to the delivery. H.264 frames refer to earlier ones, so when the delivery drops
     * one, nothing more is sent until a keyframe. Called by one thread at a time (the frame path, or a join's
     * release under the join's lock while the frame path waits for it).
     */
    private void send(Frame frame, List<ByteBuffer> packets) {
        Delivery d = delivery;
        if (d != null && !d.send(packets) && frame.codec() == Codec.H264) {
            awaitingKeyframe = true;
        }
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
            if (awaitingKeyframe) {
                if (!frame.keyframe()) {
                    skippedToKeyframe.increment();
                    return;
                }
                awaitingKeyframe = false;
            }
            List<ByteBuffer> packets;
            try {
                packets = rtp.packets(frame);
            } catch (RtpException e) {
                skipped(frame, e);
                return;
            }
            Join j = join;
            if (j == null || !j.hold(frame, packets)) {
                send(frame, packets);
            }
        }

        @Override
        public void onEnd(EndReason reason, String detail) {
            if (sink != this) {
                return;
            }
            if (reason == EndReason.END_OF_MEDIA && !push) {
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

    /** A PLAY whose packets wait for its reply; a live one also waits for its first frame (see the class comment). */
    private final class Join {

        final CountDownLatch first = new CountDownLatch(1);

        // Guarded by this.
        private final List<Frame> frames = new ArrayList<>(4);
        private final List<List<ByteBuffer>> packets = new ArrayList<>(4);
        private ByteBuffer firstPacket;
        private boolean released;
        private boolean overflowed;
        private boolean replying;
        private boolean discarded;

        /** Keeps a frame's packets until {@link #release()}; {@code false} once released (send them now). */
        synchronized boolean hold(Frame frame, List<ByteBuffer> framePackets) {
            if (released) {
                return false;
            }
            if (firstPacket == null && !framePackets.isEmpty()) {
                firstPacket = framePackets.get(0);
                first.countDown();
            }
            if (frames.size() < MAX_HELD_FRAMES) {
                frames.add(frame);
                packets.add(framePackets);
            } else {
                overflowed = true;
            }
            return true;
        }

        synchronized ByteBuffer firstPacket() {
            return firstPacket;
        }

        synchronized void release() {
            if (released) {
                return;
            }
            released = true;
            for (int i = 0; i < frames.size(); i++) {
                if (awaitingKeyframe && !frames.get(i).keyframe()) {
                    skippedToKeyframe.increment();
                    continue;
                }
                awaitingKeyframe = false;
                send(frames.get(i), packets.get(i));
            }
            if (overflowed && media.codec() == Codec.H264) {
                awaitingKeyframe = true;
            }
            frames.clear();
            packets.clear();
        }

        /** Drops what was held; {@code true} if the PLAY reply was not decided yet (see {@link #replying()}). */
        synchronized boolean discard() {
            boolean beforeReply = !replying && !released;
            released = true;
            discarded = true;
            frames.clear();
            packets.clear();
            first.countDown();
            return beforeReply;
        }

        /** Marks the PLAY reply as decided; {@code false} if the session ended before, so the reply must say so. */
        synchronized boolean replying() {
            if (discarded) {
                return false;
            }
            replying = true;
            return true;
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
