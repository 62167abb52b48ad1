package org.tributary.rtp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

import org.tributary.api.Frame;

/**
 * The RTP packets (RFC 3550 §5.1) of one RTP stream: one SSRC, one sequence number space, one payload type,
 * one {@link PayloadFormat}. Each frame becomes complete packets (V=2, no padding, extension or CSRC) that
 * share the frame's RTP timestamp; the last one carries the marker bit.
 *
 * <p>Not thread-safe: one packetizer belongs to one sending thread (a live stream's pacer or one session's
 * playback). The packets returned are read-only, so they may be handed to any number of deliveries without
 * copying; all packets of a frame share one backing array.
 */
public final class RtpPacketizer {

    /** Keeps an RTP packet inside a 1500-byte Ethernet MTU with room for IP, UDP and tunnel headers. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 1400;

    /** The fixed RTP header: no CSRC, no extension. */
    public static final int HEADER_SIZE = 12;

    private final PayloadFormat format;
    private final int payloadType;
    private final int ssrc;
    private final int maxPacketSize;
    private int sequence;
    private long packetCount;
    private long octetCount;

    /**
     * @param format the payload format of every frame
     * @param payloadType 0..127
     * @param ssrc the synchronization source identifier (random, constant for the stream)
     * @param initialSequence the sequence number of the first packet, 0..65535 (random, RFC 3550 §5.1)
     * @param maxPacketSize the largest packet including the 12-byte header
     */
    public RtpPacketizer(PayloadFormat format, int payloadType, int ssrc, int initialSequence, int maxPacketSize) {
        this.format = Objects.requireNonNull(format, "format");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127: " + payloadType);
        }
        if (initialSequence < 0 || initialSequence > 0xFFFF) {
            throw new IllegalArgumentException("initial sequence must be 0..65535: " + initialSequence);
        }
        if (maxPacketSize <= HEADER_SIZE) {
            throw new IllegalArgumentException("max packet size must exceed the 12-byte header: " + maxPacketSize);
        }
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.sequence = initialSequence;
        this.maxPacketSize = maxPacketSize;
    }

    /**
     * The RTP packets of one frame, in sending order, each read-only and positioned at 0.
     *
     * @param rtpTimestamp the frame's RTP timestamp (random base plus presentation time at the clock rate)
     * @throws RtpException if the payload format cannot carry the frame; no sequence number is used then
     */
    public List<ByteBuffer> packetize(Frame frame, int rtpTimestamp) throws RtpException {
        List<ByteBuffer> packets = new ArrayList<>(4);
        format.payloads(frame, maxPacketSize - HEADER_SIZE, HEADER_SIZE, packets);
        int last = packets.size() - 1;
        for (int i = 0; i <= last; i++) {
            ByteBuffer packet = packets.get(i);
            packet.put(0, (byte) 0x80);
            packet.put(1, (byte) (i == last ? 0x80 | payloadType : payloadType));
            packet.putShort(2, (short) sequence);
            packet.putInt(4, rtpTimestamp);
            packet.putInt(8, ssrc);
            sequence = (sequence + 1) & 0xFFFF;
            packetCount++;
            octetCount += packet.limit() - HEADER_SIZE;
            packets.set(i, packet.asReadOnlyBuffer());
        }
        return Collections.unmodifiableList(packets);
    }

    /** The synchronization source identifier of every packet. */
    public int ssrc() {
        return ssrc;
    }

    /** The payload type of every packet. */
    public int payloadType() {
        return payloadType;
    }

    /** The sequence number the next packet will carry, 0..65535 (what RTSP's {@code RTP-Info} announces). */
    public int nextSequence() {
        return sequence;
    }

    /** Packets produced so far (RTCP SR sender's packet count). */
    public long packetCount() {
        return packetCount;
    }

    /** Payload octets produced so far, headers not counted (RTCP SR sender's octet count). */
    public long octetCount() {
        return octetCount;
    }
}
