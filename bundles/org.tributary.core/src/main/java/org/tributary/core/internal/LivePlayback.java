package org.tributary.core.internal;

import java.time.Duration;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;

/**
 * One viewer of a live stream. Frames come from the stream's fan-out on the source's thread; a viewer that
 * starts or resumes playing waits for the next keyframe, so its decoder can start. Positions are ignored:
 * live has no seek.
 *
 * <p>Thread-safe: state changes under the playback's monitor, the frame path reads volatile fields only.
 * See {@link AbstractPlayback} for the one callback that may race with {@code pause()} or {@code close()}.
 */
final class LivePlayback extends AbstractPlayback {

    private enum State { READY, PLAYING, PAUSED, ENDED, CLOSED }

    private final LiveStream live;

    private volatile State state = State.READY;
    private volatile boolean awaitingKeyframe;
    private volatile long positionNanos;
    // Guarded by this. Bookkeeping in the stream happens under this monitor too (lock order: playback, then
    // stream), so a close racing with a play cannot leave the stream counting a closed viewer.
    private boolean holdsFeed;

    LivePlayback(LiveStream stream, FrameSink sink) {
        super(stream, sink);
        this.live = stream;
    }

    /** Starts or resumes; the position is ignored. Returns the time since the feed started. */
    @Override
    public Duration play(Duration position) {
        synchronized (this) {
            if (state == State.CLOSED || state == State.ENDED) {
                throw new IllegalStateException("playback of stream '" + stream.name + "' "
                        + (state == State.CLOSED ? "is closed" : "has ended"));
            }
            if (state == State.PLAYING) {
                return live.sinceFeedStart();
            }
            awaitingKeyframe = true;
            state = State.PLAYING;
            boolean first = !holdsFeed;
            holdsFeed = true;
            live.playing(this, first);
        }
        return live.sinceFeedStart();
    }

    @Override
    public void pause() {
        synchronized (this) {
            if (state != State.PLAYING) {
                return;
            }
            state = State.PAUSED;
            live.notPlaying(this);
        }
    }

    @Override
    public Duration position() {
        return Duration.ofNanos(positionNanos);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (state != State.ENDED) {
                live.left(this, holdsFeed);
            }
            state = State.CLOSED;
        }
    }

    @Override
    void end(EndReason reason, String detail) {
        synchronized (this) {
            if (state == State.CLOSED || state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            live.left(this, holdsFeed);
        }
        notifyEnd(reason, detail);
    }

    /** Called by the fan-out on the source's thread; never blocks. */
    boolean offer(Frame frame) {
        if (state != State.PLAYING) {
            return false;
        }
        if (awaitingKeyframe) {
            if (!frame.keyframe()) {
                return false;
            }
            awaitingKeyframe = false;
        }
        positionNanos = frame.timestampNanos();
        return deliver(frame);
    }
}
