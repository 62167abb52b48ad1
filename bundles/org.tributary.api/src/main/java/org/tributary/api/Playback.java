package org.tributary.api;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One viewer's handle on a stream, made by {@link Streams#open(String, FrameSink)}: frames are delivered to
 * the viewer's {@link FrameSink} at their presentation time, paced at absolute deadlines (start time plus
 * presentation time) so drift does not accumulate.
 *
 * <p>Thread-safe. {@link #play(Duration)} may block briefly while an on-demand source seeks (file I/O), so
 * call it from a thread that may wait; the other methods never block. The opener closes the playback.
 *
 * <p>Sinks are called without the playback's lock held, so that a frontend may call back into the playback
 * or hold its own session lock while calling it. Hence one callback already decided when {@link #pause()} or
 * {@link #close()} is called (at most one frame, or the end) may still arrive while or just after that method
 * returns; none follows it. A sink tolerates that one late callback.
 */
@ProviderType
public interface Playback extends AutoCloseable {

    /** What the stream offers. */
    MediaInfo info();

    /** The name of the stream played. */
    String streamName();

    /**
     * Starts or resumes delivery. With a position (on-demand streams only) playing continues from the last
     * keyframe at or before it; without one it resumes where it paused (or starts at 0).
     *
     * @param position where to play from, or {@code null} to resume
     * @return the position playing starts from (the first frame's presentation time); for a live stream,
     *         the time since the stream started
     * @throws IllegalArgumentException if the position lies beyond the end of the media
     * @throws IllegalStateException if the playback has ended ({@link FrameSink#onEnd} was called) or was closed:
     *         play again through a new {@link Streams#open}
     * @throws java.io.UncheckedIOException if seeking failed; the playback has then ended with
     *         {@link EndReason#FAILED}
     */
    Duration play(Duration position);

    /** Stops delivery and keeps the position; {@link #play(Duration) play(null)} resumes there. */
    void pause();

    /** The presentation time of the last frame delivered, or of the position to resume from. */
    Duration position();

    /** Ends the playback and releases what it holds. Idempotent. */
    @Override
    void close();
}
