package org.tributary.rtsp.server.internal;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.EndReason;
import org.tributary.api.SessionInfo;
import org.tributary.api.Transport;

/**
 * The open sessions of the server: ids, the session limit, timeouts, periodic sender reports (one timer
 * for all sessions), and the RTP streams live sessions share, with a count per live stream of the frames
 * packetized for them (once per frame however many sessions send it). Publishers' sessions
 * ({@link PublishSession}) share the ids, the limit, the timeout and the listing; their paths are held here from
 * ANNOUNCE on, so two publishers never take one path.
 *
 * <p>Thread-safe.
 */
final class SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    /** Time a delivery stays open after a BYE was handed to it, so the BYE leaves before the socket closes. */
    private static final long CLOSE_DELAY_MILLIS = 200;

    private final Map<String, RtspSession> sessions = new ConcurrentHashMap<>();
    private final Map<String, PublishSession> publishers = new ConcurrentHashMap<>();
    private final Map<String, PublishSession> published = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final Map<String, Shared> live = new HashMap<>();
    private final Map<String, LongAdder> packetized = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final int maxSessions;
    private final long timeoutNanos;
    private final Executor workers;
    private final ScheduledExecutorService timer;

    SessionRegistry(int maxSessions, int timeoutSeconds, Executor workers, ScheduledExecutorService timer) {
        this.maxSessions = maxSessions;
        // A client keeps alive at timeout/2 (FFmpeg) or 5 s before it (GStreamer); a little grace covers late ones.
        long timeout = TimeUnit.SECONDS.toNanos(timeoutSeconds);
        this.timeoutNanos = timeout + Math.min(TimeUnit.SECONDS.toNanos(5), timeout / 2);
        this.workers = workers;
        this.timer = timer;
    }

    /** Starts the once-a-second check of timeouts and sender reports. */
    void startTimer() {
        timer.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    /** Claims room for a new session; {@code false} when the server is full. */
    boolean reserve() {
        if (reserved.incrementAndGet() > maxSessions) {
            reserved.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Gives back room claimed by {@link #reserve()} for a session that was never added. */
    void unreserve() {
        reserved.decrementAndGet();
    }

    int maxSessions() {
        return maxSessions;
    }

    /**
     * A new session id: 16 hex digits, or for the lab client a plain 8-digit number, which is what it parses.
     */
    String newId(boolean lab) {
        while (true) {
            String id = lab ? Integer.toString(10_000_000 + random.nextInt(90_000_000))
                    : String.format("%016X", random.nextLong());
            if (!sessions.containsKey(id) && !publishers.containsKey(id)) {
                return id;
            }
        }
    }

    int randomInt() {
        return random.nextInt();
    }

    void add(RtspSession session) {
        sessions.put(session.id(), session);
    }

    RtspSession get(String id) {
        return id == null ? null : sessions.get(id);
    }

    List<SessionInfo> list() {
        List<RtspSession> all = new ArrayList<>(sessions.values());
        List<SessionInfo> infos = new ArrayList<>(all.size());
        for (RtspSession s : all) {
            infos.add(s.info());
        }
        for (PublishSession p : publishers.values()) {
            infos.add(p.info());
        }
        infos.sort(Comparator.comparing(SessionInfo::started));
        return infos;
    }

    /** Ends a session now, on the calling thread. */
    boolean end(RtspSession session, String reason, boolean bye) {
        boolean removed = sessions.remove(session.id(), session);
        boolean ended = session.end(reason, bye);
        if (removed) {
            reserved.decrementAndGet();
        }
        if (ended) {
            LOG.debug("Session {} on stream '{}' ended: {}", session.id(), session.stream(), reason);
        }
        return ended;
    }

    /** Ends a session on a worker: asked from threads that must not block (pacer, transports, event loops). */
    void endLater(RtspSession session, EndReason reason, String detail) {
        if (reason == EndReason.FAILED) {
            LOG.warn("Session {} on stream '{}' ended: {}", session.id(), session.stream(), detail);
        }
        String why = switch (reason) {
            case SOURCE_GONE -> "stream removed";
            case FAILED -> "stream failed";
            case END_OF_MEDIA -> "end of stream";
            default -> "stopped";
        };
        runOnWorker(() -> end(session, why, true));
    }

    boolean kick(String id) {
        RtspSession session = sessions.get(id);
        if (session != null) {
            return end(session, "ended by the operator", true);
        }
        PublishSession publisher = publishers.get(id);
        return publisher != null && endPublisher(publisher, "ended by the operator");
    }

    /**
     * Holds {@code path} for a new publication, unless another publication holds it; one announced on the same
     * connection and not set up yet gives way (a publisher announcing again).
     */
    boolean claimPath(PublishSession publication) {
        PublishSession[] replaced = new PublishSession[1];
        PublishSession now = published.compute(publication.path(), (path, held) -> {
            if (held == null || held.ended()) {
                return publication;
            }
            if (held.connection() == publication.connection() && held.id() == null) {
                replaced[0] = held;
                return publication;
            }
            return held;
        });
        if (replaced[0] != null) {
            replaced[0].end("announced again");
        }
        return now == publication;
    }

    /** The publication holding {@code path}, or {@code null}. */
    PublishSession publication(String path) {
        return published.get(path);
    }

    /** Adds a publication that SETUP gave an id (and room, by {@link #reserve()}). */
    void addPublisher(PublishSession publication) {
        publishers.put(publication.id(), publication);
    }

    PublishSession publisher(String id) {
        return id == null ? null : publishers.get(id);
    }

    /** Ends a publication now, on the calling thread, and frees its path. */
    boolean endPublisher(PublishSession publication, String reason) {
        published.remove(publication.path(), publication);
        String id = publication.id();
        if (id != null && publishers.remove(id, publication)) {
            reserved.decrementAndGet();
        }
        return publication.end(reason);
    }

    /** Ends a publication on a worker: asked from transport threads. */
    void endPublisherLater(PublishSession publication, EndReason reason, String detail) {
        runOnWorker(() -> endPublisher(publication, detail));
    }

    /** Ends the sessions a closed connection carried: the lab client's, and those interleaved in it. */
    void connectionClosed(RtspConnection connection) {
        for (RtspSession session : sessions.values()) {
            if (session.connection() == connection
                    && (session.lab() || TransportSpec.TCP.equals(session.info().transport()))) {
                runOnWorker(() -> end(session, connection.closeReason(), true));
            }
        }
        for (PublishSession publication : published.values()) {
            if (publication.connection() == connection) {
                runOnWorker(() -> endPublisher(publication, "publisher's " + connection.closeReason()));
            }
        }
    }

    /** Ends the sessions whose delivery came from a transport that went away (hot-swap rule 2). */
    void transportGone(Transport transport) {
        for (RtspSession session : sessions.values()) {
            if (session.transport() == transport) {
                end(session, "transport removed", true);
            }
        }
        for (PublishSession publication : publishers.values()) {
            if (publication.transport() == transport) {
                endPublisher(publication, "transport removed");
            }
        }
    }

    /** Ends every session with BYE (server stop). */
    void endAll(String reason) {
        for (RtspSession session : sessions.values()) {
            end(session, reason, true);
        }
        for (PublishSession publication : published.values()) {
            endPublisher(publication, reason);
        }
    }

    int size() {
        return sessions.size();
    }

    /** Closes a delivery shortly, so a BYE just handed to it is sent first; at once if the timer is stopped. */
    void closeSoon(Delivery delivery) {
        try {
            timer.schedule(delivery::close, CLOSE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            delivery.close();
        }
    }

    /** The counter of frames packetized for the sessions of a live stream, kept while the server runs. */
    LongAdder packetizedCounter(String stream) {
        return packetized.computeIfAbsent(stream, k -> new LongAdder());
    }

    /** Frames of a live stream packetized since the server started; 0 for a stream never played live. */
    long packetizedFrames(String stream) {
        LongAdder counter = packetized.get(stream);
        return counter == null ? 0 : counter.sum();
    }

    /**
     * The RTP stream of a live stream, shared by its sessions: made by {@code factory} for the first one.
     */
    RtpOut acquireShared(String key, Supplier<RtpOut> factory) {
        synchronized (live) {
            Shared shared = live.computeIfAbsent(key, k -> new Shared(k, factory.get()));
            shared.users++;
            return shared.out;
        }
    }

    /** A session lets go of its RTP stream; a shared one goes when its last session does. */
    void releaseRtp(RtspSession session, RtpOut out) {
        synchronized (live) {
            live.values().removeIf(shared -> shared.out == out && --shared.users == 0);
        }
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            for (RtspSession session : sessions.values()) {
                // A push has nobody to keep it alive; the lab client's connection keeps its session alive.
                boolean held = session.push() || session.lab() && session.connection() != null
                        && session.connection().isOpen();
                if (!held && now - session.lastActivity() > timeoutNanos) {
                    end(session, "session timed out", true);
                } else {
                    session.reportIfDue(now);
                }
            }
            // Announced but never set up counts too, so an idle connection cannot hold a path forever.
            for (PublishSession publication : published.values()) {
                if (now - publication.lastActivity() > timeoutNanos) {
                    endPublisher(publication, "session timed out");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Session timer failed; it goes on", e);
        }
    }

    private void runOnWorker(Runnable task) {
        try {
            workers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private static final class Shared {
        final String key;
        final RtpOut out;
        int users;

        Shared(String key, RtpOut out) {
            this.key = key;
            this.out = out;
        }
    }
}
