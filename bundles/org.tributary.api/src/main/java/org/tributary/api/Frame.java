package org.tributary.api;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * One access unit: a whole JPEG image, or all NAL units of one H.264 picture.
 *
 * <p>Immutable and safe to share between threads and sessions: {@link #data()} returns a fresh read-only
 * view each time, so no holder can move another holder's position. Nobody releases a frame; it is
 * garbage-collected when the last holder drops it.
 *
 * @param codec how {@code data} is coded
 * @param index the frame's number in its stream, counting from 0 at the stream's start (for a file, the
 *        frame's position in the file; for a live source, the count since capture started)
 * @param timestampNanos the presentation time in nanoseconds from the start of the stream
 * @param keyframe whether a decoder can start at this frame (every JPEG frame is one; H.264: an IDR)
 * @param data the coded bytes, read-only
 */
public record Frame(Codec codec, long index, long timestampNanos, boolean keyframe, ByteBuffer data) {

    public Frame {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(data, "data");
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("timestampNanos < 0: " + timestampNanos);
        }
        data = data.slice().asReadOnlyBuffer();
    }

    /** A read-only view of the coded bytes, positioned at 0; each call returns an independent view. */
    @Override
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** The number of coded bytes. */
    public int size() {
        return data.remaining();
    }

    /** The presentation time in units of a clock of {@code clockRate} Hz (e.g. an RTP timestamp offset). */
    public long timestampAt(int clockRate) {
        return timestampNanos / 1_000_000_000L * clockRate + timestampNanos % 1_000_000_000L * clockRate / 1_000_000_000L;
    }

    @Override
    public String toString() {
        return "Frame[" + codec + " #" + index + " t=" + timestampNanos + "ns" + (keyframe ? " key" : "") + " "
                + size() + " bytes]";
    }
}
