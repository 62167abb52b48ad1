package org.tributary.core.internal;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamState;

/**
 * A mounted {@link LiveSource}: one feed shared by every viewer, running while at least one playback holds
 * it (a playback holds the feed from its first play until it closes or ends, paused or not).
 *
 * <p>Starting and stopping the feed may block, so they run on a starter thread, never on a caller's: every
 * change of holders asks for a <em>reconcile</em>, which runs on the starter executor, one at a time per
 * stream, and starts or stops the feed to match. So {@link LiveSource#start} and {@link LiveSource#stop}
 * alternate and never overlap, as the source expects.
 *
 * <p>Frames fan out to the playing viewers directly on the source's thread (sinks never block), reading a
 * volatile array that changes only when a viewer starts or stops playing: no lock, no allocation per frame.
 * Each start hands the source a fresh {@link Feed}, so a late callback from an earlier feed is ignored.
 *
 * <p>Whether the feed should run is decided in one place, {@link #feedWanted()}: while at least one
 * viewer holds it (or always, for a source that is not {@link LiveSource#ON_DEMAND}), never when the stream is
 * stopped or retired.
 *
 * <p>State: {@code RUNNING} when idle (playable: the feed starts on demand) or when frames flow,
 * {@code STARTING} from the start of the feed to its first frame, {@code FAILED} after the feed reported a
 * failure (with that reason) until a viewer plays again, which restarts the feed, or an operator starts the
 * stream, which clears the failure. While idle it is also {@code FAILED} when its source reports a problem
 * ({@link LiveSource#problem()}); an operator's start then runs the feed once, until its first frame or its end.
 */
final class LiveStream extends MountedStream {

    private static final System.Logger LOG = System.getLogger(LiveStream.class.getName());
    private static final LivePlayback[] NONE = {};
    private static final long NOT_STARTED = Long.MIN_VALUE;

    private final LiveSource live;
    private final Executor starter;
    private final AtomicInteger reconcileRequests = new AtomicInteger();
    private final Runnable reconcileTask = this::reconcile;
    private final boolean onDemand;

    // Guarded by this.
    private int holders;

    private volatile LivePlayback[] playing = NONE;
    private volatile Feed feed;
    private volatile StreamState state = StreamState.RUNNING;
    private volatile String reason = "";
    private volatile long feedStartNanos = NOT_STARTED;
    private volatile boolean feedDead;
    // An operator's start of a stream whose source reports a problem: the feed runs once to try, until its first
    // frame or its end.
    private volatile boolean trial;

    // Touched only by the reconcile task, which runs one at a time.
    private boolean started;

    LiveStream(String name, String type, LiveSource source, long serviceId, int ranking, Executor starter,
            boolean onDemand) {
        super(name, type, source, serviceId, ranking);
        this.live = source;
        this.starter = starter;
        this.onDemand = onDemand;
    }

    /** An always-on stream starts its feed now. */
    @Override
    void mounted() {
        if (!onDemand) {
            requestReconcile();
        }
    }

    @Override
    Playback open(FrameSink sink) throws StreamException {
        LivePlayback playback = new LivePlayback(this, sink);
        register(playback);
        return playback;
    }

    /**
     * The feed's state, except that an idle or running stream whose source reports a problem (see
     * {@link LiveSource#problem()}) is {@code FAILED}.
     */
    @Override
    StreamState state() {
        StreamState now = state;
        return now == StreamState.RUNNING && !sourceProblem().isEmpty() ? StreamState.FAILED : now;
    }

    @Override
    String reason() {
        StreamState now = state;
        if (now == StreamState.FAILED) {
            return reason;
        }
        return now == StreamState.RUNNING ? sourceProblem() : "";
    }

    private String sourceProblem() {
        try {
            String problem = live.problem();
            return problem == null ? "" : problem;
        } catch (RuntimeException e) {
            return "";
        }
    }

    @Override
    void retired() {
        requestReconcile();
    }

    @Override
    void afterOperatorStop() {
        requestReconcile();
    }

    /**
     * Clears a failure, so the stream shows as playable again; the next viewer's play starts the feed (a
     * failed feed was already released by its reconcile).
     */
    @Override
    void afterOperatorStart() {
        if (state == StreamState.FAILED) {
            state = StreamState.RUNNING;
            reason = "";
        }
        if (!sourceProblem().isEmpty()) {
            trial = true;
        }
        requestReconcile();
    }

    /** The time since the current feed started, zero if none runs. */
    Duration sinceFeedStart() {
        long start = feedStartNanos;
        return start == NOT_STARTED ? Duration.ZERO : Duration.ofNanos(Math.max(0, System.nanoTime() - start));
    }

    /** Called by a playback, under its monitor, when it starts playing; {@code first} if it now holds the feed. */
    void playing(LivePlayback playback, boolean first) {
        synchronized (this) {
            LivePlayback[] now = playing;
            LivePlayback[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = playback;
            playing = next;
            if (first) {
                holders++;
            }
        }
        if (first) {
            requestReconcile();
        }
    }

    /** Called by a playback, under its monitor, when it pauses. */
    void notPlaying(LivePlayback playback) {
        synchronized (this) {
            removePlayingLocked(playback);
        }
    }

    /** Called by a playback, under its monitor, when it closes or ends. */
    void left(LivePlayback playback, boolean releaseFeed) {
        synchronized (this) {
            removePlayingLocked(playback);
            if (releaseFeed) {
                holders--;
            }
        }
        removed(playback);
        if (releaseFeed) {
            requestReconcile();
        }
    }

    private void removePlayingLocked(LivePlayback playback) {
        LivePlayback[] now = playing;
        for (int i = 0; i < now.length; i++) {
            if (now[i] == playback) {
                LivePlayback[] next = new LivePlayback[now.length - 1];
                System.arraycopy(now, 0, next, 0, i);
                System.arraycopy(now, i + 1, next, i, now.length - i - 1);
                playing = next;
                return;
            }
        }
    }

    private void requestReconcile() {
        if (reconcileRequests.getAndIncrement() == 0) {
            try {
                starter.execute(reconcileTask);
            } catch (RejectedExecutionException e) {
                // The stream service has stopped and its last reconcile ran already.
                reconcileRequests.set(0);
            }
        }
    }

    private void reconcile() {
        int requests = reconcileRequests.get();
        do {
            reconcileOnce();
            requests = reconcileRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    /**
     * The one decision whether the feed runs: while a playback holds it (from its first play until it ends or
     * closes), or always for a source registered with {@link LiveSource#ON_DEMAND}{@code =false} unless it
     * failed (then a viewer or an operator's start restarts it, not a loop); never for a stopped or retired
     * stream.
     */
    private boolean feedWanted() {
        synchronized (this) {
            boolean wanted = holders > 0 || trial || !onDemand && state != StreamState.FAILED;
            return wanted && !isRetired() && !isStoppedByOperator();
        }
    }

    private void reconcileOnce() {
        boolean want = feedWanted();
        if (started && (!want || feedDead)) {
            stopFeed();
        }
        if (!started && want) {
            startFeed();
        }
    }

    private void startFeed() {
        Feed next = new Feed();
        feedDead = false;
        reason = "";
        state = StreamState.STARTING;
        feedStartNanos = System.nanoTime();
        feed = next;
        started = true;
        try {
            live.start(next);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Starting live stream '" + name + "' failed", e);
            next.onEnd(EndReason.FAILED, "its source failed to start: " + e);
        }
    }

    private void stopFeed() {
        feed = null;
        try {
            live.stop();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Stopping live stream '" + name + "' failed", e);
        }
        started = false;
        feedStartNanos = NOT_STARTED;
        if (state != StreamState.FAILED) {
            state = StreamState.RUNNING;
        }
    }

    /** The sink one start of the feed delivers to. */
    private final class Feed implements FrameSink {

        @Override
        public void onFrame(Frame frame) {
            if (feed != this) {
                return;
            }
            if (state == StreamState.STARTING) {
                state = StreamState.RUNNING;
            }
            if (trial) {
                // The try worked; the feed runs on only if someone holds it.
                trial = false;
                requestReconcile();
            }
            for (LivePlayback playback : playing) {
                if (playback.offer(frame)) {
                    counters.delivered(false);
                }
            }
        }

        @Override
        public void onEnd(EndReason why, String detail) {
            if (feed != this) {
                return;
            }
            feed = null;
            feedDead = true;
            trial = false;
            String text = detail == null ? "" : detail;
            String told;
            if (why == EndReason.FAILED) {
                reason = text;
                state = StreamState.FAILED;
                told = "stream '" + name + "' failed: " + text;
                LOG.log(System.Logger.Level.WARNING, told);
            } else {
                told = text.isEmpty() ? "stream '" + name + "' ended" : text;
            }
            for (AbstractPlayback playback : viewerList()) {
                playback.end(why, told);
            }
            requestReconcile();
        }
    }
}
