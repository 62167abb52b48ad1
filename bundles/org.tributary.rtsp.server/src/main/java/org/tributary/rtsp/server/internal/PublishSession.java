package org.tributary.rtsp.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryStats;
import org.tributary.api.EndReason;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.Transport;

/**
 * A publisher's RTSP session: one client pushing one stream into the server (RFC 2326 ANNOUNCE, SETUP with
 * {@code mode=record}, RECORD). It holds its path from the ANNOUNCE, gets its id at SETUP, and at RECORD its
 * {@link PublishedSource} becomes a live stream at that path through the {@link SourceRegistrar}, which viewers
 * play like any live stream.
 *
 * <p>Its end (TEARDOWN, the publisher's connection closing, a timeout without RTP, RTCP or a request, a kick, its
 * transport going away, the server stopping) takes the stream away: the stream core ends its viewers' sessions
 * with BYE, and the path is free for the next publisher. The connection that announced owns the publication: a
 * SETUP or RECORD from any other is refused, and its closing ends the publication even over UDP, since a
 * publisher that hung up has stopped publishing.
 *
 * <p>Counters in {@link #info()}: packets and bytes received, frames lost. Thread-safe: media arrives on the
 * transport's thread, control on request workers and the timer; the end happens once.
 */
final class PublishSession {

    private static final Logger LOG = LoggerFactory.getLogger(PublishSession.class);

    private final String path;
    private final RtspConnection connection;
    private final InetSocketAddress client;
    private final PublishedSource source;
    private final SessionRegistry registry;
    private final Instant started = Instant.now();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();

    private volatile String id;
    private volatile long lastActivity = System.nanoTime();
    private volatile SessionState state = SessionState.INIT;
    private volatile Delivery delivery;
    private volatile Transport transport;
    private volatile String profile = "";
    private Runnable unregister;

    PublishSession(String path, PublishedMedia media, RtspConnection connection, SessionRegistry registry) {
        this.path = path;
        this.connection = connection;
        this.client = connection.peer();
        this.source = new PublishedSource(path, media);
        this.registry = registry;
    }

    String path() {
        return path;
    }

    /** The session id, {@code null} before SETUP. */
    String id() {
        return id;
    }

    void id(String value) {
        id = value;
    }

    RtspConnection connection() {
        return connection;
    }

    PublishedSource source() {
        return source;
    }

    SessionState state() {
        return state;
    }

    boolean ended() {
        return ended.get();
    }

    Transport transport() {
        return transport;
    }

    boolean hasDelivery() {
        return delivery != null;
    }

    void touch() {
        lastActivity = System.nanoTime();
    }

    long lastActivity() {
        return lastActivity;
    }

    /** The listener for the delivery this session is about to open; media it hears goes to the source. */
    DeliveryListener newListener() {
        return new Listener();
    }

    /** Takes the delivery SETUP opened. */
    void setDelivery(Delivery next, Transport by, String nextProfile) {
        delivery = next;
        transport = by;
        profile = nextProfile;
        state = SessionState.READY;
        if (ended.get()) {
            next.close();
        }
    }

    /**
     * Starts recording: the stream appears at the path. Idempotent.
     *
     * @throws IllegalStateException if the stream cannot be registered
     */
    synchronized void record(SourceRegistrar registrar) {
        if (ended.get()) {
            throw new IllegalStateException("session " + id + " has ended");
        }
        if (unregister == null) {
            unregister = registrar.register(path, source);
            LOG.info("Stream '{}' published by {} over {} (session {})", path, RtspService.hostLiteral(
                    client.getAddress()), profile, id);
        }
        state = SessionState.RECORDING;
    }

    /**
     * Ends the publication once: no more media is taken, the stream leaves (its viewers get BYE), the delivery
     * closes.
     *
     * @return {@code false} if it had ended already
     */
    boolean end(String reason) {
        if (!ended.compareAndSet(false, true)) {
            return false;
        }
        source.end();
        Runnable leave;
        synchronized (this) {
            leave = unregister;
            unregister = null;
        }
        if (leave != null) {
            leave.run();
            LOG.info("Stream '{}' unpublished: {}", path, reason);
        }
        Delivery d = delivery;
        if (d != null) {
            d.close();
        }
        state = SessionState.INIT;
        return true;
    }

    SessionInfo info() {
        return new SessionInfo(id == null ? "" : id, client, path, profile, state, started,
                new DeliveryStats(packets.sum(), bytes.sum(), source.droppedFrames()));
    }

    /** Hears the publisher: RTP to the source, RTCP as a sign of life; a replaced delivery's news is ignored. */
    private final class Listener implements DeliveryListener {

        @Override
        public void onData(ByteBuffer rtp) {
            touch();
            packets.increment();
            bytes.add(rtp.remaining());
            source.packet(rtp);
        }

        @Override
        public void onControl(ByteBuffer rtcp) {
            touch();
        }

        @Override
        public void onClosed(String reason) {
            registry.endPublisherLater(PublishSession.this, EndReason.STOPPED, "delivery closed: " + reason);
        }
    }
}
