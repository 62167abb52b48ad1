package org.tributary.api;

import java.io.IOException;
import java.time.Duration;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One viewer's cursor over an {@link OnDemandSource}. Not thread-safe: one thread at a time uses it.
 * The opener closes it; {@link #close()} releases whatever the reader holds (file handles).
 *
 * <p>Every method may block on I/O; call them from a thread that may wait, never from a pacing thread.
 */
@ConsumerType
public interface FrameReader extends AutoCloseable {

    /**
     * The next frame, or {@code null} at the end of the media. Frames come in presentation order.
     *
     * @throws IOException if the media is damaged here; frames before the damage were delivered, and the
     *         message says where and what (e.g. "movie.Mjpeg: frame 812 at byte 7340032: bad length")
     */
    Frame next() throws IOException;

    /**
     * Moves to the last keyframe at or before {@code position} (clamped to the media) and returns the
     * presentation time of that frame, which the next call of {@link #next()} returns.
     */
    Duration seek(Duration position) throws IOException;

    @Override
    void close();
}
