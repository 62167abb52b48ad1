package org.tributary.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives frames as they become due: from a {@link LiveSource} as captured, from a {@link Playback} at
 * their presentation time.
 *
 * <p>Both methods are called on the producer's thread (a capture thread or the pacer shared by all
 * sessions) and must never block: hand the frame on and return. The frame is shared and immutable; keep
 * it as long as needed.
 */
@ConsumerType
public interface FrameSink {

    /** A frame is due now. */
    void onFrame(Frame frame);

    /**
     * No frame follows. Called at most once.
     *
     * @param reason why the frames ended
     * @param detail a sentence for a person (e.g. the failed file and what went wrong), never null
     */
    void onEnd(EndReason reason, String detail);
}
