package org.tributary.rtsp.client;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.tributary.api.Codec;

/**
 * One complete frame as the client rebuilt it from RTP: for JPEG a whole JFIF image (SOI…EOI) that any
 * JPEG decoder reads.
 *
 * <p>Immutable; safe to keep and to share between threads. The bytes belong to this frame alone.
 */
public final class ReceivedFrame {

    private final Codec codec;
    private final int track;
    private final long rtpTimestamp;
    private final long presentationTimeNanos;
    private final long receivedAtNanos;
    private final ByteBuffer data;

    /**
     * @param data the frame's bytes from position to limit; the frame takes them over, the caller must not
     *        change them afterwards
     */
    public ReceivedFrame(Codec codec, int track, long rtpTimestamp, long presentationTimeNanos,
            long receivedAtNanos, ByteBuffer data) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.track = track;
        this.rtpTimestamp = rtpTimestamp;
        this.presentationTimeNanos = presentationTimeNanos;
        this.receivedAtNanos = receivedAtNanos;
        this.data = data.slice().asReadOnlyBuffer();
    }

    /** The coding of {@link #data()}. */
    public Codec codec() {
        return codec;
    }

    /** The index of the track in the session description's media list. */
    public int track() {
        return track;
    }

    /** The RTP timestamp of the frame, 0..2^32-1, on the track's clock (90 kHz for video). */
    public long rtpTimestamp() {
        return rtpTimestamp;
    }

    /**
     * When to show the frame, in nanoseconds after the first frame this client received on the track: 0 for
     * the first frame, then following the RTP timestamps (wraps of the 32-bit timestamp are unfolded).
     */
    public long presentationTimeNanos() {
        return presentationTimeNanos;
    }

    /** When the packet that completed the frame arrived, on the {@link System#nanoTime()} clock. */
    public long receivedAtNanos() {
        return receivedAtNanos;
    }

    /** A read-only view of the bytes; each call returns an independent view. */
    public ByteBuffer data() {
        return data.duplicate();
    }

    /** The number of bytes. */
    public int size() {
        return data.remaining();
    }

    /** A copy of the bytes, e.g. for {@code ImageIO.read(new ByteArrayInputStream(...))}. */
    public byte[] toByteArray() {
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        return copy;
    }

    @Override
    public String toString() {
        return "ReceivedFrame[" + codec + ", track " + track + ", " + size() + " bytes, pts "
                + presentationTimeNanos / 1_000_000 + " ms]";
    }
}
