package org.tributary.rtp;

import java.nio.ByteBuffer;
import java.util.List;

import org.tributary.api.Frame;

/**
 * The sending side of one RTP payload format: how one {@link Frame} (a JPEG image, an H.264 access unit)
 * becomes the payloads of one or more RTP packets, in order, the last of which carries the marker bit.
 *
 * <p>Implementations are stateless and thread-safe; one instance may serve every stream of its codec.
 *
 * <p>Ownership: the buffers a call appends belong to the caller. All buffers of one frame may share one
 * backing array, so a format copies the frame's bytes once and the RTP header can be written in front of
 * each payload without another copy (see {@link #payloads(Frame, int, int, List)}).
 */
public interface PayloadFormat {

    /** The encoding name of SDP's {@code a=rtpmap}, e.g. {@code JPEG} or {@code H264}. */
    String encodingName();

    /** The RTP timestamp clock rate in Hz. */
    int clockRate();

    /**
     * Appends the RTP payloads (no RTP header) of one frame to {@code out}, each at most
     * {@code maxPayloadSize} bytes; each buffer is positioned at 0 and holds exactly one payload.
     *
     * @throws RtpException if this format cannot carry the frame; the message says why and what to change
     */
    default void payloads(Frame frame, int maxPayloadSize, List<ByteBuffer> out) throws RtpException {
        payloads(frame, maxPayloadSize, 0, out);
    }

    /**
     * Like {@link #payloads(Frame, int, List)}, but each appended buffer starts with {@code headroom} zero
     * bytes reserved for the caller (an RTP header: 12) followed by the payload. Buffers are writable heap
     * buffers positioned at 0 with limit {@code headroom + payload length}; nothing else aliases them.
     *
     * @param maxPayloadSize the largest payload, headroom not counted
     * @param headroom bytes to leave free in front of every payload, at least 0
     * @throws RtpException if this format cannot carry the frame; {@code out} is then left unchanged
     */
    void payloads(Frame frame, int maxPayloadSize, int headroom, List<ByteBuffer> out) throws RtpException;
}
