package org.tributary.rtp;

import java.util.List;
import java.util.Objects;

/**
 * One RTCP packet of a compound packet, as {@link Rtcp#parse(java.nio.ByteBuffer)} reads it. Immutable.
 *
 * @param type the RTCP packet type: {@link #SR}, {@link #RR}, {@link #SDES}, {@link #BYE}, {@link #APP}, or
 *        another value for packet types read only as far as their SSRC
 * @param ssrc the sender's SSRC (SR, RR, APP), the first chunk's SSRC (SDES), the first SSRC leaving
 *        (BYE); 0 when the packet carries none
 * @param senderInfo the sender information of an SR, {@code null} for any other type
 * @param reportBlocks the reception report blocks of an SR or RR, empty for any other type
 * @param cname the CNAME of the first SDES chunk, {@code null} for other types or when absent
 * @param reason the reason for leaving of a BYE, {@code null} for other types or when absent
 */
public record RtcpPacket(int type, int ssrc, SenderInfo senderInfo, List<ReportBlock> reportBlocks, String cname,
        String reason) {

    /** Sender report. */
    public static final int SR = 200;
    /** Receiver report. */
    public static final int RR = 201;
    /** Source description. */
    public static final int SDES = 202;
    /** Goodbye. */
    public static final int BYE = 203;
    /** Application-defined. */
    public static final int APP = 204;

    public RtcpPacket {
        reportBlocks = List.copyOf(Objects.requireNonNull(reportBlocks, "reportBlocks"));
    }

    /**
     * The sender information of an SR (RFC 3550 §6.4.1): the wallclock and the RTP timestamp of the same
     * instant, and what the sender has sent so far.
     *
     * @param ntpTimestamp 64-bit NTP timestamp (seconds since 1900 in the high 32 bits)
     * @param rtpTimestamp 0..2^32-1
     * @param packetCount 0..2^32-1, wrapping
     * @param octetCount payload octets, 0..2^32-1, wrapping
     */
    public record SenderInfo(long ntpTimestamp, long rtpTimestamp, long packetCount, long octetCount) {
    }

    /**
     * One reception report block (RFC 3550 §6.4.1).
     *
     * @param ssrc the source this block reports on
     * @param fractionLost lost fraction since the previous report, 0..255 (in 1/256)
     * @param cumulativeLost packets lost since the start, a signed 24-bit value
     * @param extendedHighestSequence cycles in the high 16 bits, highest sequence number in the low 16
     * @param jitter interarrival jitter in timestamp units
     * @param lastSenderReport the middle 32 bits of the NTP timestamp of the last SR received, 0 if none
     * @param delaySinceLastSenderReport in units of 1/65536 s
     */
    public record ReportBlock(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
            long jitter, long lastSenderReport, long delaySinceLastSenderReport) {
    }
}
