package org.tributary.rtp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP (RFC 3550 §6) compound packets: what a sender sends (SR + SDES CNAME, and BYE at the end), what a
 * receiver sends (RR + SDES CNAME), and a strict parser for what arrives from the network.
 *
 * <p>Stateless and thread-safe. Built packets are read-only buffers positioned at 0, owned by the caller.
 */
public final class Rtcp {

    /** Seconds from the NTP epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    private static final long NTP_UNIX_OFFSET_SECONDS = 2_208_988_800L;

    private Rtcp() {
    }

    /**
     * A compound sender report: SR without report blocks, then SDES with the CNAME.
     *
     * @param ntpTimestamp the wallclock now, as {@link #ntpTimestamp(long)} gives it
     * @param rtpTimestamp the RTP timestamp of the same instant, on the media clock
     * @param packetCount packets sent so far (only the low 32 bits are sent)
     * @param octetCount payload octets sent so far (only the low 32 bits are sent)
     * @param cname the canonical name, at most 255 UTF-8 bytes (longer names are cut)
     */
    public static ByteBuffer senderReport(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount,
            long octetCount, String cname) {
        byte[] name = text(cname);
        ByteBuffer buf = ByteBuffer.allocate(28 + sdesLength(name));
        putSenderReport(buf, ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount);
        putSdes(buf, ssrc, name);
        return buf.flip().asReadOnlyBuffer();
    }

    /**
     * A compound goodbye from a sender: SR, SDES with the CNAME, then BYE (RFC 3550 §6.1 requires the
     * report first). Clients take it as the end of the stream.
     *
     * @param reason why the stream ends (e.g. "end of stream"), at most 255 UTF-8 bytes; {@code null} or
     *        empty for none
     */
    public static ByteBuffer bye(int ssrc, long ntpTimestamp, int rtpTimestamp, long packetCount,
            long octetCount, String cname, String reason) {
        byte[] name = text(cname);
        byte[] why = text(reason);
        ByteBuffer buf = ByteBuffer.allocate(28 + sdesLength(name) + byeLength(why));
        putSenderReport(buf, ssrc, ntpTimestamp, rtpTimestamp, packetCount, octetCount);
        putSdes(buf, ssrc, name);
        putBye(buf, ssrc, why);
        return buf.flip().asReadOnlyBuffer();
    }

    /**
     * A compound receiver report: RR with the given report blocks (at most 31), then SDES with the CNAME.
     * A client sends it to the sender's RTCP port; servers take it as keepalive.
     */
    public static ByteBuffer receiverReport(int ssrc, List<RtcpPacket.ReportBlock> blocks, String cname) {
        byte[] name = text(cname);
        ByteBuffer buf = ByteBuffer.allocate(rrLength(blocks) + sdesLength(name));
        putReceiverReport(buf, ssrc, blocks);
        putSdes(buf, ssrc, name);
        return buf.flip().asReadOnlyBuffer();
    }

    /** A compound goodbye from a receiver: RR with the given blocks, SDES with the CNAME, then BYE. */
    public static ByteBuffer receiverBye(int ssrc, List<RtcpPacket.ReportBlock> blocks, String cname,
            String reason) {
        byte[] name = text(cname);
        byte[] why = text(reason);
        ByteBuffer buf = ByteBuffer.allocate(rrLength(blocks) + sdesLength(name) + byeLength(why));
        putReceiverReport(buf, ssrc, blocks);
        putSdes(buf, ssrc, name);
        putBye(buf, ssrc, why);
        return buf.flip().asReadOnlyBuffer();
    }

    /** The 64-bit NTP timestamp (RFC 5905: seconds since 1900 in the high word, fraction in the low). */
    public static long ntpTimestamp(long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L) + NTP_UNIX_OFFSET_SECONDS;
        long fraction = (Math.floorMod(epochMillis, 1000L) << 32) / 1000L;
        return (seconds << 32) | fraction;
    }

    /** The middle 32 bits of an NTP timestamp: the LSR field a receiver reports back (RFC 3550 §6.4.1). */
    public static long compactNtp(long ntpTimestamp) {
        return (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
    }

    /**
     * The packets of a compound RTCP packet, in order. Lengths are checked strictly: each packet's length
     * field must fit the bytes, every count must fit its packet, padding is allowed only on the last packet,
     * and the packets must fill the buffer exactly.
     *
     * @param compound the bytes from its position to its limit; the position is not moved
     * @throws RtpException if the bytes are not a well-formed compound RTCP packet
     */
    public static List<RtcpPacket> parse(ByteBuffer compound) throws RtpException {
        ByteBuffer buf = compound.slice();
        List<RtcpPacket> packets = new ArrayList<>(3);
        int pos = 0;
        int limit = buf.limit();
        if (limit == 0) {
            throw new RtpException("empty RTCP packet");
        }
        while (pos < limit) {
            if (limit - pos < 4) {
                throw new RtpException("RTCP packet at byte " + pos + " is shorter than its 4-byte header");
            }
            int first = u8(buf, pos);
            if (first >>> 6 != 2) {
                throw new RtpException("RTCP packet at byte " + pos + " has version " + (first >>> 6) + ", not 2");
            }
            int count = first & 0x1F;
            int type = u8(buf, pos + 1);
            int size = 4 * (u16(buf, pos + 2) + 1);
            if (size > limit - pos) {
                throw new RtpException("RTCP packet at byte " + pos + " claims " + size + " bytes but only "
                        + (limit - pos) + " remain");
            }
            int end = pos + size;
            if ((first & 0x20) != 0) {
                if (end != limit) {
                    throw new RtpException("RTCP packet at byte " + pos + " is padded but not last in the compound");
                }
                int padding = u8(buf, end - 1);
                if (padding < 1 || padding > size - 4) {
                    throw new RtpException("RTCP packet at byte " + pos + " has bad padding " + padding);
                }
                end -= padding;
            }
            packets.add(parseOne(buf, pos, end, type, count));
            pos += size;
        }
        return List.copyOf(packets);
    }

    private static RtcpPacket parseOne(ByteBuffer buf, int pos, int end, int type, int count) throws RtpException {
        switch (type) {
            case RtcpPacket.SR: {
                need(pos + 28 + 24 * count, end, "SR", pos);
                RtcpPacket.SenderInfo info = new RtcpPacket.SenderInfo(buf.getLong(pos + 8), u32(buf, pos + 16),
                        u32(buf, pos + 20), u32(buf, pos + 24));
                return new RtcpPacket(type, buf.getInt(pos + 4), info, blocks(buf, pos + 28, count), null, null);
            }
            case RtcpPacket.RR:
                need(pos + 8 + 24 * count, end, "RR", pos);
                return new RtcpPacket(type, buf.getInt(pos + 4), null, blocks(buf, pos + 8, count), null, null);
            case RtcpPacket.SDES:
                return parseSdes(buf, pos, end, count);
            case RtcpPacket.BYE: {
                need(pos + 4 + 4 * count, end, "BYE", pos);
                int ssrc = count > 0 ? buf.getInt(pos + 4) : 0;
                String reason = null;
                int at = pos + 4 + 4 * count;
                if (at < end) {
                    int length = u8(buf, at);
                    need(at + 1 + length, end, "BYE reason", pos);
                    reason = string(buf, at + 1, length);
                }
                return new RtcpPacket(type, ssrc, null, List.of(), null, reason);
            }
            default:
                return new RtcpPacket(type, end - pos >= 8 ? buf.getInt(pos + 4) : 0, null, List.of(), null, null);
        }
    }

    private static RtcpPacket parseSdes(ByteBuffer buf, int pos, int end, int count) throws RtpException {
        int at = pos + 4;
        int firstSsrc = 0;
        String cname = null;
        for (int chunk = 0; chunk < count; chunk++) {
            need(at + 4, end, "SDES chunk", pos);
            int ssrc = buf.getInt(at);
            at += 4;
            while (true) {
                need(at + 1, end, "SDES item", pos);
                int item = u8(buf, at);
                if (item == 0) {
                    at = (at + 4) & ~3; // the null item ends the chunk, padded to a 32-bit boundary
                    need(at, end, "SDES chunk padding", pos);
                    break;
                }
                need(at + 2, end, "SDES item", pos);
                int length = u8(buf, at + 1);
                need(at + 2 + length, end, "SDES item", pos);
                if (chunk == 0 && item == 1 && cname == null) {
                    cname = string(buf, at + 2, length);
                }
                at += 2 + length;
            }
            if (chunk == 0) {
                firstSsrc = ssrc;
            }
        }
        return new RtcpPacket(RtcpPacket.SDES, firstSsrc, null, List.of(), cname, null);
    }

    private static List<RtcpPacket.ReportBlock> blocks(ByteBuffer buf, int at, int count) {
        List<RtcpPacket.ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++, at += 24) {
            int lost = (u8(buf, at + 5) << 16) | (u8(buf, at + 6) << 8) | u8(buf, at + 7);
            blocks.add(new RtcpPacket.ReportBlock(buf.getInt(at), u8(buf, at + 4), (lost << 8) >> 8,
                    u32(buf, at + 8), u32(buf, at + 12), u32(buf, at + 16), u32(buf, at + 20)));
        }
        return blocks;
    }

    private static void need(int required, int end, String what, int pos) throws RtpException {
        if (required > end) {
            throw new RtpException("RTCP " + what + " at byte " + pos + " runs past the end of its packet");
        }
    }

    private static void putSenderReport(ByteBuffer buf, int ssrc, long ntp, int rtpTimestamp, long packets,
            long octets) {
        buf.put((byte) 0x80).put((byte) RtcpPacket.SR).putShort((short) 6);
        buf.putInt(ssrc).putLong(ntp).putInt(rtpTimestamp).putInt((int) packets).putInt((int) octets);
    }

    private static int rrLength(List<RtcpPacket.ReportBlock> blocks) {
        if (blocks.size() > 31) {
            throw new IllegalArgumentException("an RR holds at most 31 report blocks, not " + blocks.size());
        }
        return 8 + 24 * blocks.size();
    }

    private static void putReceiverReport(ByteBuffer buf, int ssrc, List<RtcpPacket.ReportBlock> blocks) {
        buf.put((byte) (0x80 | blocks.size())).put((byte) RtcpPacket.RR).putShort((short) (1 + 6 * blocks.size()));
        buf.putInt(ssrc);
        for (RtcpPacket.ReportBlock b : blocks) {
            buf.putInt(b.ssrc());
            buf.putInt((b.fractionLost() << 24) | (b.cumulativeLost() & 0xFF_FFFF));
            buf.putInt((int) b.extendedHighestSequence()).putInt((int) b.jitter());
            buf.putInt((int) b.lastSenderReport()).putInt((int) b.delaySinceLastSenderReport());
        }
    }

    private static int sdesLength(byte[] cname) {
        return 4 + ((4 + 2 + cname.length + 1 + 3) & ~3);
    }

    private static void putSdes(ByteBuffer buf, int ssrc, byte[] cname) {
        int length = sdesLength(cname);
        int start = buf.position();
        buf.put((byte) 0x81).put((byte) RtcpPacket.SDES).putShort((short) (length / 4 - 1));
        buf.putInt(ssrc).put((byte) 1).put((byte) cname.length).put(cname);
        while (buf.position() < start + length) {
            buf.put((byte) 0);
        }
    }

    private static int byeLength(byte[] reason) {
        return reason.length == 0 ? 8 : 8 + ((1 + reason.length + 3) & ~3);
    }

    private static void putBye(ByteBuffer buf, int ssrc, byte[] reason) {
        int length = byeLength(reason);
        int start = buf.position();
        buf.put((byte) 0x81).put((byte) RtcpPacket.BYE).putShort((short) (length / 4 - 1)).putInt(ssrc);
        if (reason.length > 0) {
            buf.put((byte) reason.length).put(reason);
        }
        while (buf.position() < start + length) {
            buf.put((byte) 0);
        }
    }

    private static byte[] text(String s) {
        if (s == null) {
            return new byte[0];
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 255 ? bytes : java.util.Arrays.copyOf(bytes, 255);
    }

    private static String string(ByteBuffer buf, int at, int length) {
        byte[] bytes = new byte[length];
        buf.get(at, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int u8(ByteBuffer buf, int index) {
        return buf.get(index) & 0xFF;
    }

    private static int u16(ByteBuffer buf, int index) {
        return (u8(buf, index) << 8) | u8(buf, index + 1);
    }

    private static long u32(ByteBuffer buf, int index) {
        return buf.getInt(index) & 0xFFFF_FFFFL;
    }
}
