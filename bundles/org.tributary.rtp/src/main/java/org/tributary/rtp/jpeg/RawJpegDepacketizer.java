package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;
import java.util.Optional;

import org.tributary.rtp.RtpHeader;

/**
 * The receiving side of the classic lab format ({@link RawJpegPayloadFormat}): every RTP packet carries one
 * whole JPEG image. Images that do not start with SOI or end with EOI (truncated by a small receive
 * buffer) are dropped, and so are packets that arrive after a later one; both, and frames lost in a gap
 * of sequence numbers, are counted in {@link #droppedFrames()}.
 *
 * <p>Not thread-safe: one depacketizer per received RTP stream. The returned image is a heap buffer over a
 * fresh array that belongs to the caller.
 */
public final class RawJpegDepacketizer {

    private boolean started;
    private int nextSequence;
    private long droppedFrames;

    /**
     * Takes one RTP packet of the stream.
     *
     * @param rtpPacket a whole RTP packet, read from its position to its limit; not moved and not retained
     * @return the JPEG image it carries, or empty if it carries none usable
     */
    public Optional<ByteBuffer> accept(ByteBuffer rtpPacket) {
        if (!RtpHeader.isValid(rtpPacket) || RtpHeader.isRtcp(rtpPacket)) {
            return Optional.empty();
        }
        int sequence = RtpHeader.sequence(rtpPacket);
        if (started) {
            int gap = (sequence - nextSequence) & 0xFFFF;
            if (gap >= 0x8000) {
                droppedFrames++; // late: an image already shown is newer
                return Optional.empty();
            }
            droppedFrames += gap;
        }
        started = true;
        nextSequence = (sequence + 1) & 0xFFFF;
        int offset = rtpPacket.position() + RtpHeader.payloadOffset(rtpPacket);
        int size = RtpHeader.payloadLength(rtpPacket);
        if (size < 4 || rtpPacket.get(offset) != (byte) 0xFF || rtpPacket.get(offset + 1) != (byte) 0xD8
                || rtpPacket.get(offset + size - 2) != (byte) 0xFF || rtpPacket.get(offset + size - 1) != (byte) 0xD9) {
            droppedFrames++;
            return Optional.empty();
        }
        byte[] image = new byte[size];
        rtpPacket.get(offset, image);
        return Optional.of(ByteBuffer.wrap(image));
    }

    /** Frames lost, late or unusable so far. */
    public long droppedFrames() {
        return droppedFrames;
    }
}
