package org.tributary.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source whose frames happen now (a camera, a pipeline, a published stream). It has one feed, which
 * the stream core starts once and shares with every viewer.
 *
 * <p>{@link #start(FrameSink)} and {@link #stop()} are called by one thread at a time, in alternation. By default
 * the feed runs only while the stream has viewers; a source registered with {@value #ON_DEMAND}{@code =false}
 * runs whenever its stream is mounted and not stopped.
 */
@ConsumerType
public interface LiveSource extends MediaSource {

    /**
     * Service property, a {@code Boolean} (or the string {@code "true"} / {@code "false"}), {@code true} when
     * absent: whether the feed runs only while the stream has viewers. With {@code false} the core starts the
     * feed when the stream is mounted and keeps it running with no viewer (the first viewer then gets a picture
     * at once); an operator's stop still stops it, and after a failure it waits for a viewer or an operator's
     * start, so a broken source is not restarted in a loop.
     *
     * @since 1.3
     */
    String ON_DEMAND = "tributary.onDemand";

    /**
     * Why the source cannot deliver now, as far as it knows without a feed running (its origin refused the path,
     * its device is missing, probing its pipeline failed); empty when it can deliver or does not know. The stream
     * is listed {@link StreamState#FAILED} with this reason meanwhile, and viewers are refused with it. The source
     * clears it when it finds it can deliver again (a feed's first frame, an origin that answers); an operator's
     * start of the stream starts the feed once to try. Must not block.
     *
     * @since 1.4
     */
    default String problem() {
        return "";
    }

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
