package org.tributary.rtp;

import java.nio.ByteBuffer;

/**
 * Reads the fields of an RTP packet (RFC 3550 §5.1) in place. Every method reads relative to the buffer's
 * position with absolute gets, so the buffer's position and limit never move.
 *
 * <p>Field readers assume at least the 12-byte fixed header; check {@link #isValid(ByteBuffer)} (or
 * {@link #payloadOffset(ByteBuffer)} {@code >= 0}) before trusting a packet from the network.
 *
 * <p>Stateless and thread-safe.
 */
public final class RtpHeader {

    private RtpHeader() {
    }

    /** The version field, 2 for RTP. */
    public static int version(ByteBuffer packet) {
        return u8(packet, 0) >>> 6;
    }

    /** The payload type, 0..127. */
    public static int payloadType(ByteBuffer packet) {
        return u8(packet, 1) & 0x7F;
    }

    /** The marker bit: for video, the last packet of a frame. */
    public static boolean marker(ByteBuffer packet) {
        return (u8(packet, 1) & 0x80) != 0;
    }

    /** The sequence number, 0..65535. */
    public static int sequence(ByteBuffer packet) {
        return (u8(packet, 2) << 8) | u8(packet, 3);
    }

    /** The RTP timestamp, 0..2^32-1. */
    public static long timestamp(ByteBuffer packet) {
        return packet.getInt(packet.position() + 4) & 0xFFFF_FFFFL;
    }

    /** The synchronization source identifier. */
    public static int ssrc(ByteBuffer packet) {
        return packet.getInt(packet.position() + 8);
    }

    /**
     * Where the payload starts, relative to the buffer's position: after the fixed header, the CSRC list and
     * the header extension.
     *
     * @return the offset, or -1 if the packet is shorter than its own header says
     */
    public static int payloadOffset(ByteBuffer packet) {
        int length = packet.remaining();
        if (length < 12) {
            return -1;
        }
        int first = u8(packet, 0);
        int offset = 12 + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (offset + 4 > length) {
                return -1;
            }
            offset += 4 + 4 * ((u8(packet, offset + 2) << 8) | u8(packet, offset + 3));
        }
        return offset <= length ? offset : -1;
    }

    /**
     * The number of payload bytes: what follows the header, minus padding.
     *
     * @return the length, or -1 if the header or the padding count does not fit the packet
     */
    public static int payloadLength(ByteBuffer packet) {
        int offset = payloadOffset(packet);
        if (offset < 0) {
            return -1;
        }
        int length = packet.remaining() - offset;
        if ((u8(packet, 0) & 0x20) != 0) {
            if (length < 1) {
                return -1;
            }
            int padding = u8(packet, packet.remaining() - 1);
            if (padding < 1 || padding > length) {
                return -1;
            }
            length -= padding;
        }
        return length;
    }

    /** Whether the packet is a well-formed RTP packet: version 2, header and padding inside the buffer. */
    public static boolean isValid(ByteBuffer packet) {
        return packet.remaining() >= 12 && version(packet) == 2 && payloadLength(packet) >= 0;
    }

    /**
     * A view of the payload (header and padding excluded), sharing the packet's bytes.
     *
     * @throws RtpException if the packet is not well-formed
     */
    public static ByteBuffer payload(ByteBuffer packet) throws RtpException {
        if (!isValid(packet)) {
            throw new RtpException("not a valid RTP packet (" + packet.remaining() + " bytes)");
        }
        return packet.slice(packet.position() + payloadOffset(packet), payloadLength(packet));
    }

    /**
     * Whether the bytes are RTCP rather than RTP (RFC 5761 §4): the second byte is an RTCP packet type
     * 200..204 (SR, RR, SDES, BYE, APP), which as RTP would be a marker bit with payload type 72..76.
     */
    public static boolean isRtcp(ByteBuffer packet) {
        if (packet.remaining() < 2) {
            return false;
        }
        int type = u8(packet, 1);
        return type >= 200 && type <= 204;
    }

    private static int u8(ByteBuffer buf, int index) {
        return buf.get(buf.position() + index) & 0xFF;
    }
}
