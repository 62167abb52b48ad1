package org.tributary.source.relay.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspException;

/**
 * Another RTSP server's stream as a {@link LiveSource}: an {@link RtspClient} pulls it and every frame it rebuilds
 * goes to the sink as it arrives, on the client's receive thread.
 *
 * <h2>When it is connected</h2>
 * On demand (the default), the origin is pulled only between {@link #start} and {@link #stop}. Otherwise it is
 * pulled from {@link #open()} to {@link #close()}, whether anyone watches or not: {@code start} then hands the sink
 * the frames since the origin's last keyframe (at most {@value #GOP_MAX_FRAMES} frames or 8 MiB) and then the live
 * ones, so the first viewer's decoder starts at once instead of waiting for the next keyframe.
 *
 * <h2>MediaInfo</h2>
 * {@link #info()} is a volatile read of what the origin's last DESCRIBE said (see {@link OriginMedia}), completed
 * from the first keyframe when the SDP lacked the size or the H.264 parameter sets. {@link #open()} describes the
 * origin in the background so that the first viewer's DESCRIBE already has it, and every connection describes it
 * again. Until the origin has answered once, the source claims H.264 without parameter sets: the RTSP server then
 * answers a DESCRIBE with 503 and Retry-After instead of a session description that may name the wrong codec.
 *
 * <h2>When the origin goes away</h2>
 * A connection counts as lost when the origin closes it, sends BYE, or sends no frame for {@value #STALL_SECONDS} s.
 * The source reconnects at once; only when that attempt fails too does the sink get
 * {@code onEnd(FAILED, "origin rtsp://… unreachable: <what went wrong>")}, so the viewers' sessions end and the
 * stream shows {@code FAILED} with that reason. A {@code start} whose connection fails ends the same way. From then
 * on the source keeps trying in the background, {@code reconnectDelaySeconds} after the failure and doubling up to
 * 30 s (on demand it only describes the origin; otherwise it reconnects), and calls the recovery callback once the
 * origin answers again, which makes the stream playable again without an operator (see
 * {@link RelayComponent}). The frames' timestamps and indexes keep increasing across reconnections within one feed.
 *
 * <h2>Threads</h2>
 * Connecting, reconnecting and the stall check run on the source's own thread {@code tributary-relay-<stream>},
 * which exists only while there is something to do: a connection to open or watch, or a failed origin to retry.
 * {@link #stop()} on demand and {@link #close()} end it and every thread of the RTSP client before they return. State
 * changes and frame deliveries are serialized by this object's monitor; the RTSP client is never called under it.
 */
public final class RelaySource implements LiveSource {

    private static final System.Logger LOG = System.getLogger(RelaySource.class.getName());
    static final long STALL_SECONDS = 10;
    static final int GOP_MAX_FRAMES = 300;
    static final long GOP_MAX_BYTES = 8L << 20;

    private final RelaySettings settings;
    private final Runnable onRecovered;
    private volatile MediaInfo info;

    // Guarded by this.
    private OneThread executor;
    private ScheduledFuture<?> nextAttempt;
    private Pull pull;
    private FrameSink sink;
    private OriginMedia origin;
    private boolean failed;
    // Why the last attempt failed, while no attempt has succeeded since; what problem() reports.
    private volatile String problem = "";
    private int failures;
    private boolean closed;
    private long index;
    private long lastTimestamp = -1;
    private long lastFrameNanos;
    private final List<Frame> gop = new ArrayList<>();
    private long gopBytes;
    private boolean gopUsable;

    /**
     * A source for {@code settings}; nothing connects before {@link #open()} or {@link #start}.
     *
     * @param onRecovered called on the source's thread when the origin answers again after the source told a sink
     *        {@code FAILED}; must not call back into this source
     */
    public RelaySource(RelaySettings settings, Runnable onRecovered) {
        this.settings = settings;
        this.onRecovered = onRecovered;
        this.info = new MediaInfo(Codec.H264, 0, 0, OriginMedia.DEFAULT_FRAME_RATE, null, List.of());
    }

    /** The settings this source runs with. */
    public RelaySettings settings() {
        return settings;
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    /** Why the origin could not be described or pulled at the last attempt, until an attempt succeeds. */
    @Override
    public String problem() {
        return problem;
    }

    /** Describes the origin in the background, and starts pulling it when it is not pulled on demand. */
    public synchronized void open() {
        settle(0);
    }

    @Override
    public void start(FrameSink sink) {
        synchronized (this) {
            if (closed) {
                sink.onEnd(EndReason.SOURCE_GONE, "stream " + settings.name() + " has been removed");
                return;
            }
            this.sink = sink;
            if (settings.onDemand()) {
                index = 0;
                lastTimestamp = -1;
            } else {
                for (Frame frame : gop) {
                    sink.onFrame(frame);
                }
            }
            if (pull == null) {
                // A viewer waits: connect now, whatever the backoff said.
                cancelNextAttempt();
                plan(0);
            }
        }
    }

    @Override
    public void stop() {
        Pull ending = null;
        ScheduledThreadPoolExecutor idle;
        synchronized (this) {
            sink = null;
            if (settings.onDemand() && pull != null) {
                ending = pull;
                pull = null;
            }
            idle = settle(settings.reconnectDelayMillis(Math.max(1, failures)));
        }
        if (ending != null) {
            ending.close();
        }
        awaitEnd(idle);
    }

    /** Disconnects from the origin, stops retrying and refuses later starts; no thread of the source is left. */
    public void close() {
        Pull ending;
        ScheduledThreadPoolExecutor idle;
        synchronized (this) {
            closed = true;
            sink = null;
            ending = pull;
            pull = null;
            idle = settle(0);
        }
        if (ending != null) {
            ending.close();
        }
        awaitEnd(idle);
    }

    // --- connecting, on the source's thread ---

    private void attempt() {
        Pull p;
        synchronized (this) {
            nextAttempt = null;
            if (closed || pull != null || !wantsPull() && !wantsDescribe()) {
                settle(0);
                return;
            }
            p = new Pull(wantsPull());
            pull = p;
        }
        OriginMedia media;
        try {
            p.client.connect();
            media = OriginMedia.of(p.client.describe());
        } catch (IOException | RuntimeException e) {
            failedAttempt(p, problem(e));
            return;
        }
        boolean play;
        synchronized (this) {
            if (pull != p) {
                // Stopped or closed meanwhile; whoever took it away closes it.
                return;
            }
            boolean described = origin != null;
            MediaInfo before = info;
            learn(media);
            if (sink != null && described && before.codec() != media.info().codec()) {
                // The viewers' session descriptions name the old codec: they cannot decode the new one.
                FrameSink ending = sink;
                sink = null;
                failed = true;
                ending.onEnd(EndReason.FAILED, "origin " + settings.origin() + " now sends "
                        + media.info().codec().encodingName() + " instead of " + before.codec().encodingName()
                        + "; play the stream again");
            }
            play = p.play && wantsPull();
            if (play) {
                p.track = media.track();
                p.lastArrivalNanos = System.nanoTime();
            } else {
                pull = null;
            }
        }
        if (play) {
            try {
                p.client.setup(p);
                p.client.play();
            } catch (IOException | RuntimeException e) {
                failedAttempt(p, problem(e));
                return;
            }
        } else {
            p.close();
        }
        boolean recovered;
        synchronized (this) {
            if (play && pull != p) {
                return;
            }
            if (play) {
                p.watchdog = executor().scheduleWithFixedDelay(() -> checkStall(p), 1, 1, TimeUnit.SECONDS);
            }
            failures = 0;
            problem = "";
            recovered = failed;
            failed = false;
            settle(0);
        }
        if (recovered) {
            LOG.log(System.Logger.Level.INFO, "stream {0}: origin {1} answers again", settings.name(),
                    settings.origin());
            try {
                onRecovered.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stream " + settings.name() + ": recovery failed", e);
            }
        }
    }

    private void failedAttempt(Pull p, String problem) {
        synchronized (this) {
            if (pull != p) {
                return;
            }
            pull = null;
            failures++;
            String detail = "origin " + settings.origin() + " unreachable: " + problem;
            this.problem = detail;
            if (sink != null) {
                FrameSink ending = sink;
                sink = null;
                failed = true;
                LOG.log(System.Logger.Level.WARNING, "stream {0}: {1}; retrying in the background", settings.name(),
                        detail);
                ending.onEnd(EndReason.FAILED, detail);
            } else if (failures == 1) {
                LOG.log(System.Logger.Level.WARNING, "stream {0}: {1}; retrying in the background", settings.name(),
                        detail);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "stream {0}: {1}", settings.name(), detail);
            }
            settle(settings.reconnectDelayMillis(failures));
        }
        p.close();
    }

    /** A playing connection ended: reconnect at once, with the sink still attached. */
    private void lost(Pull p, String reason) {
        synchronized (this) {
            if (pull != p) {
                return;
            }
            pull = null;
            gop.clear();
            gopUsable = false;
            LOG.log(System.Logger.Level.WARNING, "stream {0}: lost origin {1} ({2}); reconnecting", settings.name(),
                    settings.origin(), reason);
            plan(0);
            // The client's own threads must not close it; the source's thread does.
            executor().execute(p::close);
        }
    }

    private void checkStall(Pull p) {
        if (System.nanoTime() - p.lastArrivalNanos > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
            lost(p, "no frame for " + STALL_SECONDS + " s");
        }
    }

    private boolean wantsPull() {
        return !closed && (sink != null || !settings.onDemand());
    }

    private boolean wantsDescribe() {
        return !closed && (failed || origin == null);
    }

    /** With the monitor held: schedules the next attempt when one is wanted and none is under way. */
    private void plan(long delayMillis) {
        if (closed || pull != null || nextAttempt != null || !wantsPull() && !wantsDescribe()) {
            return;
        }
        nextAttempt = executor().schedule(this::attempt, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * With the monitor held, after anything changed: plans the next attempt (after {@code delayMillis}) when one is
     * wanted and none is under way, drops a pending one nobody wants any more, and, when nothing is left to do, shuts
     * the source's thread down and returns its executor for a caller outside the monitor to wait for.
     */
    private ScheduledThreadPoolExecutor settle(long delayMillis) {
        if (wantsPull() || wantsDescribe()) {
            plan(delayMillis);
        } else {
            cancelNextAttempt();
        }
        if (pull != null || nextAttempt != null) {
            return null;
        }
        ScheduledThreadPoolExecutor idle = executor;
        executor = null;
        if (idle != null) {
            // Not shutdownNow: this may be the executor's own thread, which still closes a client.
            idle.shutdown();
        }
        return idle;
    }

    private void cancelNextAttempt() {
        if (nextAttempt != null) {
            nextAttempt.cancel(false);
            nextAttempt = null;
        }
    }

    private ScheduledThreadPoolExecutor executor() {
        if (executor == null) {
            OneThread e = new OneThread("tributary-relay-" + settings.name());
            e.setRemoveOnCancelPolicy(true);
            e.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            executor = e;
        }
        return executor;
    }

    private void awaitEnd(ScheduledThreadPoolExecutor idle) {
        if (idle == null) {
            return;
        }
        try {
            // An attempt blocked in connect ends when its client is closed or its connect timeout passes.
            if (!((OneThread) idle).awaitGone(settings.connectTimeoutSeconds() + 5L, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "stream {0}: a connection attempt to {1} did not end in time",
                        settings.name(), settings.origin());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The source's one thread. An executor counts as terminated a moment before its thread has left; stopping
     * waits for the thread itself, so nothing of the source runs afterwards.
     */
    private static final class OneThread extends ScheduledThreadPoolExecutor {

        private volatile Thread thread;

        OneThread(String name) {
            super(1);
            setThreadFactory(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }

        /** Waits for termination and for the thread to end; the caller's own thread does not count. */
        boolean awaitGone(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            Thread t = thread;
            if (t == Thread.currentThread()) {
                return true;
            }
            if (!awaitTermination(timeout, unit)) {
                return false;
            }
            t = thread;
            if (t != null) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            return t == null || !t.isAlive();
        }
    }

    private void learn(OriginMedia media) {
        MediaInfo now = info;
        MediaInfo next = media.info();
        if (origin != null && now.codec() == next.codec()) {
            // What the SDP leaves out, an earlier keyframe or measurement may have told.
            int width = next.width() > 0 ? next.width() : now.width();
            int height = next.height() > 0 ? next.height() : now.height();
            double rate = media.frameRateKnown() ? next.frameRate() : now.frameRate();
            List<ByteBuffer> sets = next.parameterSets().isEmpty() ? now.parameterSets() : next.parameterSets();
            next = new MediaInfo(next.codec(), width, height, rate, null, sets);
        }
        origin = media;
        info = next;
    }

    // --- frames, on the client's receive thread ---

    private void frame(Pull p, ReceivedFrame received) {
        if (received.track() != p.track) {
            return;
        }
        ByteBuffer data = received.data();
        boolean key = received.codec() == Codec.JPEG || AnnexB.containsIdr(data);
        synchronized (this) {
            if (pull != p) {
                return;
            }
            long now = System.nanoTime();
            p.lastArrivalNanos = now;
            if (p.waitingForKey) {
                if (!key) {
                    return;
                }
                p.waitingForKey = false;
                p.firstPresentation = received.presentationTimeNanos();
                // A new connection's clock starts at 0 again: carry on from the last frame, plus the gap.
                p.base = lastTimestamp < 0 ? 0
                        : lastTimestamp + Math.max(info.framePeriodNanos(), now - lastFrameNanos);
            }
            long timestamp = Math.max(0, p.base + received.presentationTimeNanos() - p.firstPresentation);
            if (key) {
                MediaInfo known = info;
                MediaInfo completed = OriginMedia.completedBy(known, data);
                if (completed != known) {
                    info = completed;
                }
            }
            measureFrameRate(p, received.presentationTimeNanos());
            lastTimestamp = Math.max(lastTimestamp, timestamp);
            lastFrameNanos = now;
            Frame frame = new Frame(received.codec(), index++, timestamp, key, data);
            if (!settings.onDemand()) {
                keep(frame);
            }
            if (sink != null) {
                sink.onFrame(frame);
            }
        }
    }

    /** Without {@code a=framerate}, the first second of presentation times tells the rate. */
    private void measureFrameRate(Pull p, long presentationNanos) {
        if (origin == null || origin.frameRateKnown() || p.rateMeasured) {
            return;
        }
        p.framesForRate++;
        long span = presentationNanos - p.firstPresentation;
        if (span >= 1_000_000_000L && p.framesForRate > 1) {
            p.rateMeasured = true;
            double rate = (p.framesForRate - 1) * 1e9 / span;
            MediaInfo now = info;
            if (rate > 0 && rate <= 1000 && Math.abs(rate - now.frameRate()) > 0.01) {
                info = new MediaInfo(now.codec(), now.width(), now.height(), Math.round(rate * 1000) / 1000.0, null,
                        now.parameterSets());
            }
        }
    }

    /** Keeps the frames since the last keyframe for the next start, within bounds. */
    private void keep(Frame frame) {
        if (frame.keyframe()) {
            gop.clear();
            gopBytes = 0;
            gopUsable = true;
        }
        if (!gopUsable) {
            return;
        }
        if (gop.size() >= GOP_MAX_FRAMES || gopBytes + frame.size() > GOP_MAX_BYTES) {
            gop.clear();
            gopUsable = false;
            return;
        }
        gop.add(frame);
        gopBytes += frame.size();
    }

    private String problem(Exception e) {
        if (e instanceof RtspException r) {
            return r.getMessage();
        }
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException || cause instanceof SocketTimeoutException) {
            return "no answer within " + settings.connectTimeoutSeconds() + " s";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    /** One connection to the origin: a describe-only probe, or a pull that plays. */
    private final class Pull implements RtspClientListener {
        final boolean play;
        final RtspClient client;
        // Set before setup; read on the client's threads afterwards.
        volatile int track = -1;
        volatile long lastArrivalNanos;
        // Guarded by RelaySource.this.
        ScheduledFuture<?> watchdog;
        boolean waitingForKey = true;
        long firstPresentation;
        long base;
        boolean rateMeasured;
        int framesForRate;

        Pull(boolean play) {
            this.play = play;
            this.client = new RtspClient(settings.url(), settings.clientOptions());
        }

        @Override
        public void onFrame(ReceivedFrame frame) {
            frame(this, frame);
        }

        @Override
        public void onEnd(String reason) {
            lost(this, reason);
        }

        @Override
        public void onError(Exception error) {
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: {1}", settings.name(), error.getMessage());
        }

        void close() {
            ScheduledFuture<?> w;
            synchronized (RelaySource.this) {
                w = watchdog;
                watchdog = null;
            }
            if (w != null) {
                w.cancel(false);
            }
            client.close();
        }
    }
}
