package org.tributary.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one mounted stream since it was mounted, for the metrics work to read (through
 * {@link StreamCore#counters(String)}); a stream mounted again starts from zero.
 *
 * <ul>
 * <li>{@link #framesDelivered()}: frames handed to viewers' sinks (a live frame counts once per viewer).</li>
 * <li>{@link #lateFrames()}: on-demand frames delivered late: not read yet when their deadline came (the
 * reader pool fell behind), or handed over more than {@link OnDemandPlayback#LATE_NANOS} after it because the
 * pacer thread was held up.</li>
 * <li>{@link #reanchors()}: times a playback was so late (more than {@link OnDemandPlayback#REANCHOR_NANOS})
 * that its clock was restarted at the late frame instead of bursting the backlog.</li>
 * </ul>
 *
 * <p>Thread-safe; updated on the frame path without locks or allocation.
 */
public final class StreamCounters {

    private final LongAdder framesDelivered = new LongAdder();
    private final LongAdder lateFrames = new LongAdder();
    private final LongAdder reanchors = new LongAdder();

    /** Frames handed to sinks. */
    public long framesDelivered() {
        return framesDelivered.sum();
    }

    /** On-demand frames delivered after their deadline (see the class comment). */
    public long lateFrames() {
        return lateFrames.sum();
    }

    /** Clock restarts after a stall of more than a second. */
    public long reanchors() {
        return reanchors.sum();
    }

    void delivered(boolean late) {
        framesDelivered.increment();
        if (late) {
            lateFrames.increment();
        }
    }

    void reanchored() {
        reanchors.increment();
    }
}
