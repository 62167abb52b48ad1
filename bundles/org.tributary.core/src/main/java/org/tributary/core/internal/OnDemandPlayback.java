package org.tributary.core.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;
import org.tributary.api.FrameSink;

/**
 * One viewer's playhead on an on-demand stream: its {@link FrameReader}, read up to {@value #AHEAD} frames
 * ahead on the {@link ReaderPool}, and delivered by the {@link Pacer} at absolute deadlines.
 *
 * <p>The clock: when playing starts (or resumes) the first frame goes out at once and fixes the anchor
 * {@code (startNanos, anchorTimestamp)}; every later frame is due at
 * {@code startNanos + (timestamp - anchorTimestamp)}, so no error accumulates from one frame to the next. A
 * frame not read by its deadline goes out as soon as it is read and counts as late; a frame more than
 * {@link #REANCHOR_NANOS} late (the machine stalled) restarts the clock at itself, so the backlog is not
 * burst out.
 *
 * <p>Threads: {@link #run(long)} on the pacer (never blocks, never does I/O); {@link #fill()} and the
 * reader's close on the reader pool; {@link #play(Duration)} with a position seeks on the caller's thread.
 * The reader is used under {@code readerLock} only, and state under {@code lock} only; {@code readerLock} is
 * taken before {@code lock}, and the pacer never takes {@code readerLock}. See {@link AbstractPlayback} for
 * the one callback that may race with {@code pause()} or {@code close()}.
 */
final class OnDemandPlayback extends AbstractPlayback implements Pacer.Task {

    /** A frame handed over later than this after its deadline counts as late. */
    static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** A frame later than this restarts the clock instead of being caught up with. */
    static final long REANCHOR_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** Frames read ahead of the pacer. */
    static final int AHEAD = 2;

    private enum State { READY, PLAYING, PAUSED, ENDED, CLOSED }

    private final FrameReader reader;
    private final ReaderPool pool;
    private final Pacer.Slot slot;
    private final long periodNanos;
    private final long durationNanos;
    private final Runnable fillTask = this::fill;
    private final Runnable releaseTask = this::releaseReader;
    private final ReentrantLock readerLock = new ReentrantLock();
    private final Object lock = new Object();

    // Guarded by readerLock.
    private boolean readerReleased;

    // Guarded by lock.
    private State state = State.READY;
    private final Frame[] ahead = new Frame[AHEAD];
    private int head;
    private int count;
    private boolean endOfMedia;
    private String failure;
    private boolean fillQueued;
    private boolean waiting;
    private boolean missedDeadline;
    private boolean anchored;
    private long startNanos;
    private long anchorTimestamp;
    private long lastDeadline;

    private volatile long positionNanos;

    OnDemandPlayback(MountedStream stream, FrameSink sink, FrameReader reader, Pacer pacer, ReaderPool pool) {
        super(stream, sink);
        this.reader = reader;
        this.pool = pool;
        this.slot = pacer.slot(this);
        this.periodNanos = stream.source.info().framePeriodNanos();
        Duration duration = stream.source.info().duration();
        this.durationNanos = duration == null ? -1 : duration.toNanos();
    }

    /** Starts reading the first frames, so the first play starts without waiting for the disk. */
    void prefetch() {
        boolean submit;
        synchronized (lock) {
            submit = requestFillLocked();
        }
        submitFill(submit);
    }

    /**
     * With a position, seeks on the caller's thread (waiting for a read in progress) and plays from the
     * keyframe found; without one, resumes at the next unplayed frame. A playback that ended (end of media,
     * failure) or closed throws {@link IllegalStateException}: its {@code onEnd} was its last word, so a
     * replay needs a new playback. A seek that fails ends the playback with {@link EndReason#FAILED} and
     * throws {@link UncheckedIOException}.
     */
    @Override
    public Duration play(Duration position) {
        if (position == null) {
            return resume();
        }
        if (position.isNegative()) {
            throw new IllegalArgumentException("negative position " + position + " for stream '" + stream.name + "'");
        }
        if (durationNanos >= 0 && position.toNanos() > durationNanos) {
            throw new IllegalArgumentException("position " + seconds(position.toNanos())
                    + " is beyond the end of stream '" + stream.name + "' (" + seconds(durationNanos) + ")");
        }
        readerLock.lock();
        try {
            synchronized (lock) {
                checkOpen();
                state = State.PAUSED;
            }
            slot.cancel();
            if (readerReleased) {
                throw new IllegalStateException("playback of stream '" + stream.name + "' has ended");
            }
            Duration actual;
            try {
                actual = reader.seek(position);
            } catch (IOException | RuntimeException e) {
                String detail = "stream '" + stream.name + "': cannot seek to " + seconds(position.toNanos()) + ": "
                        + e.getMessage();
                end(EndReason.FAILED, detail);
                throw new UncheckedIOException(detail,
                        e instanceof IOException io ? io : new IOException(e.getMessage(), e));
            }
            boolean submit;
            synchronized (lock) {
                checkOpen();
                clearAheadLocked();
                endOfMedia = false;
                failure = null;
                anchored = false;
                missedDeadline = false;
                positionNanos = actual.toNanos();
                state = State.PLAYING;
                waiting = true;
                submit = requestFillLocked();
            }
            submitFill(submit);
            return actual;
        } finally {
            readerLock.unlock();
        }
    }

    private Duration resume() {
        long result;
        boolean wake = false;
        boolean submit = false;
        synchronized (lock) {
            checkOpen();
            if (state == State.PLAYING) {
                return Duration.ofNanos(count > 0 ? ahead[head].timestampNanos() : positionNanos);
            }
            state = State.PLAYING;
            anchored = false;
            missedDeadline = false;
            if (count > 0) {
                result = ahead[head].timestampNanos();
                wake = true;
            } else {
                result = positionNanos;
                if (endOfMedia || failure != null) {
                    wake = true;
                } else {
                    waiting = true;
                    submit = requestFillLocked();
                }
            }
        }
        submitFill(submit);
        if (wake) {
            slot.schedule(System.nanoTime());
        }
        return Duration.ofNanos(result);
    }

    @Override
    public void pause() {
        synchronized (lock) {
            if (state != State.PLAYING) {
                return;
            }
            state = State.PAUSED;
            waiting = false;
        }
        slot.cancel();
    }

    @Override
    public Duration position() {
        return Duration.ofNanos(positionNanos);
    }

    @Override
    public void close() {
        boolean wasEnded;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            wasEnded = state == State.ENDED;
            state = State.CLOSED;
            clearAheadLocked();
        }
        slot.cancel();
        if (!wasEnded) {
            stream.removed(this);
            releaseAsync();
        }
    }

    @Override
    void end(EndReason reason, String detail) {
        synchronized (lock) {
            if (state == State.ENDED || state == State.CLOSED) {
                return;
            }
            state = State.ENDED;
            clearAheadLocked();
        }
        slot.cancel();
        stream.removed(this);
        releaseAsync();
        notifyEnd(reason, detail);
    }

    /** Runs on the pacer at the head frame's deadline. */
    @Override
    public long run(long now) {
        Frame frame;
        boolean late;
        boolean reanchored = false;
        boolean submit;
        long next;
        EndReason endReason = null;
        String endDetail = null;
        synchronized (lock) {
            if (state != State.PLAYING) {
                return Pacer.IDLE;
            }
            if (count == 0) {
                frame = null;
                late = false;
                next = Pacer.IDLE;
                if (failure != null) {
                    endReason = EndReason.FAILED;
                    endDetail = failure;
                } else if (endOfMedia) {
                    endReason = EndReason.END_OF_MEDIA;
                    endDetail = "stream '" + stream.name + "' played to its end";
                } else {
                    waiting = true;
                }
                submit = endReason == null && requestFillLocked();
            } else {
                frame = ahead[head];
                if (!anchored) {
                    anchorLocked(now, frame.timestampNanos());
                }
                long deadline = startNanos + (frame.timestampNanos() - anchorTimestamp);
                if (deadline - now > 0) {
                    return deadline;
                }
                long lateness = now - deadline;
                if (lateness > REANCHOR_NANOS) {
                    anchorLocked(now, frame.timestampNanos());
                    reanchored = true;
                    deadline = now;
                }
                late = missedDeadline || lateness > LATE_NANOS;
                missedDeadline = false;
                ahead[head] = null;
                head = (head + 1) % AHEAD;
                count--;
                lastDeadline = deadline;
                positionNanos = frame.timestampNanos();
                submit = requestFillLocked();
                if (count > 0) {
                    next = startNanos + (ahead[head].timestampNanos() - anchorTimestamp);
                } else if (endOfMedia || failure != null) {
                    next = deadline + periodNanos;
                } else {
                    waiting = true;
                    next = Pacer.IDLE;
                }
            }
        }
        submitFill(submit);
        if (endReason != null) {
            end(endReason, endDetail);
            return Pacer.IDLE;
        }
        if (frame == null) {
            return Pacer.IDLE;
        }
        if (reanchored) {
            stream.counters.reanchored();
        }
        if (!deliver(frame)) {
            return Pacer.IDLE;
        }
        stream.counters.delivered(late);
        return next;
    }

    /** Reads until {@value #AHEAD} frames wait, on the reader pool. */
    private void fill() {
        readerLock.lock();
        try {
            while (true) {
                synchronized (lock) {
                    if (state == State.ENDED || state == State.CLOSED) {
                        fillQueued = false;
                        break;
                    }
                    if (readerReleased || endOfMedia || failure != null || count == AHEAD) {
                        fillQueued = false;
                        return;
                    }
                }
                Frame frame = null;
                String error = null;
                try {
                    frame = reader.next();
                } catch (IOException | RuntimeException e) {
                    error = "stream '" + stream.name + "': " + e.getMessage();
                }
                long wake = Pacer.IDLE;
                synchronized (lock) {
                    if (state == State.ENDED || state == State.CLOSED) {
                        fillQueued = false;
                        break;
                    }
                    if (error != null) {
                        failure = error;
                    } else if (frame == null) {
                        endOfMedia = true;
                    } else {
                        ahead[(head + count) % AHEAD] = frame;
                        count++;
                    }
                    if (waiting && state == State.PLAYING) {
                        waiting = false;
                        wake = nextDeadlineLocked();
                    }
                }
                if (wake != Pacer.IDLE) {
                    slot.schedule(wake);
                }
            }
            // The playback ended or closed while this task held the reader: release it here, since the
            // closer could not take the reader lock without waiting.
            releaseLocked();
        } finally {
            readerLock.unlock();
        }
    }

    // With lock held: the deadline of what the pacer does next once a read completed while it waited.
    private long nextDeadlineLocked() {
        long now = System.nanoTime();
        if (!anchored) {
            return now;
        }
        long deadline = count > 0 ? startNanos + (ahead[head].timestampNanos() - anchorTimestamp)
                : lastDeadline + periodNanos;
        if (count > 0 && deadline - now < 0) {
            missedDeadline = true;
        }
        return deadline;
    }

    private void anchorLocked(long now, long timestamp) {
        anchored = true;
        startNanos = now;
        anchorTimestamp = timestamp;
    }

    // With lock held: whether the caller must submit the fill task (outside the lock).
    private boolean requestFillLocked() {
        if (fillQueued || endOfMedia || failure != null || count == AHEAD || state == State.ENDED
                || state == State.CLOSED) {
            return false;
        }
        fillQueued = true;
        return true;
    }

    private void submitFill(boolean submit) {
        if (submit && !pool.submit(fillTask)) {
            synchronized (lock) {
                fillQueued = false;
            }
        }
    }

    private void clearAheadLocked() {
        for (int i = 0; i < AHEAD; i++) {
            ahead[i] = null;
        }
        head = 0;
        count = 0;
        waiting = false;
    }

    private void checkOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException("playback of stream '" + stream.name + "' is closed");
        }
        if (state == State.ENDED) {
            throw new IllegalStateException("playback of stream '" + stream.name + "' has ended");
        }
    }

    private void releaseAsync() {
        if (pool.submit(releaseTask)) {
            return;
        }
        // The pool is stopping: release here unless a read holds the reader, which then releases it itself.
        if (readerLock.tryLock()) {
            try {
                releaseLocked();
            } finally {
                readerLock.unlock();
            }
        }
    }

    private void releaseReader() {
        readerLock.lock();
        try {
            releaseLocked();
        } finally {
            readerLock.unlock();
        }
    }

    private void releaseLocked() {
        if (readerReleased) {
            return;
        }
        readerReleased = true;
        try {
            reader.close();
        } catch (RuntimeException e) {
            System.getLogger(OnDemandPlayback.class.getName()).log(System.Logger.Level.WARNING,
                    "Closing a reader of stream '" + stream.name + "' failed", e);
        }
    }

    private static String seconds(long nanos) {
        return String.format("%.3f s", nanos / 1e9);
    }
}
