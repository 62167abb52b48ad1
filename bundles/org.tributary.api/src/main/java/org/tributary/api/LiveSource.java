package org.tributary.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source whose frames happen now (a camera, a pipeline, a published stream). It has one feed, which
 * the stream core starts once and shares with every viewer.
 *
 * <p>{@link #start(FrameSink)} and {@link #stop()} are called by one thread at a time, in alternation.
 */
@ConsumerType
public interface LiveSource extends MediaSource {

    /**
     * Starts capturing and delivers every frame to {@code sink} until {@link #stop()} or the end of the
     * feed. May block while the device or pipeline starts. Frames arrive on the source's own thread; the
     * first one is a keyframe. A failure is reported through {@link FrameSink#onEnd(EndReason, String)}
     * with {@link EndReason#FAILED}.
     */
    void start(FrameSink sink);

    /** Stops capturing and releases the device or pipeline; no frame is delivered after it returns. */
    void stop();
}
