package org.tributary.rtp.h264;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.tributary.rtp.RtpHeader;

/**
 * The receiving side of RTP/H.264 in packetization mode 1 (RFC 6184): single NAL unit packets, STAP-A and
 * FU-A, reassembled into one access unit in Annex B form (every NAL unit behind a 4-byte start code, in the
 * order received) when the packet with the marker bit arrives. A sender that never sets the marker has its
 * access units completed by the first packet of the next timestamp instead.
 *
 * <p>Packets must arrive in sequence order (a jitter buffer in front reorders); the sequence numbers tell
 * loss. An access unit is dropped whole, and counted in {@link #droppedFrames()}, when a packet of it is
 * lost (a gap in sequence numbers inside it, or just before it unless its first packet visibly begins a
 * picture), when an FU-A is incomplete, or when a packet is unusable (truncated STAP-A, FU-B, STAP-B or MTAP,
 * which mode 1 forbids). Access units lost whole leave nothing to count; RTCP receiver statistics count the
 * lost packets. Packets with the reserved NAL types 0, 30 and 31 are ignored (§5.4). Late and duplicate packets
 * are ignored. A decoder given the access units after a drop shows errors until the next IDR; a caller that
 * wants a clean picture waits for {@link AccessUnit#keyframe()}.
 *
 * <p>Given the stream's parameter sets (from SDP's {@code sprop-parameter-sets}), an IDR access unit that
 * lacks its SPS or PPS gets them in front, so every keyframe can start a decoder on its own.
 *
 * <p>Not thread-safe: one depacketizer per received RTP stream. Never throws on packet contents.
 */
public final class H264Depacketizer {

    /** Bounds the memory a stream of garbage can take; larger than any access unit of a 4K H.264 stream. */
    static final int MAX_ACCESS_UNIT = 16 * 1024 * 1024;

    private static final byte[] START_CODE = {0, 0, 0, 1};
    private static final int MIN_BUFFER = 4096;

    private final List<ByteBuffer> sequenceParameterSets;
    private final List<ByteBuffer> pictureParameterSets;

    private boolean started;
    private int nextSequence;
    private byte[] unit;
    private int length;
    private boolean collecting;
    private long timestamp;
    private boolean fragmenting;
    private boolean idr;
    private boolean sps;
    private boolean pps;
    private boolean discarding;
    private long discardTimestamp;
    private boolean markerPending;
    private long droppedFrames;
    private int lastSize = 64 * 1024;

    /**
     * One rebuilt access unit.
     *
     * @param rtpTimestamp the RTP timestamp of its packets, 0..2^32-1
     * @param keyframe whether it holds a slice of an IDR picture
     * @param data the NAL units in Annex B form with 4-byte start codes; a heap buffer over a fresh array that
     *        belongs to the caller
     */
    public record AccessUnit(long rtpTimestamp, boolean keyframe, ByteBuffer data) {
    }

    /** A depacketizer that passes access units on as they arrived. */
    public H264Depacketizer() {
        this(List.of());
    }

    /**
     * A depacketizer that puts the given parameter sets in front of IDR access units that lack them.
     *
     * @param parameterSets SPS and PPS NAL units without start codes (others are ignored); copied
     */
    public H264Depacketizer(List<ByteBuffer> parameterSets) {
        List<ByteBuffer> sequence = new ArrayList<>(1);
        List<ByteBuffer> picture = new ArrayList<>(1);
        for (ByteBuffer set : parameterSets) {
            int type = set.hasRemaining() ? NalUnit.type(set) : -1;
            if (type == NalUnit.SPS || type == NalUnit.PPS) {
                ByteBuffer copy = ByteBuffer.allocate(set.remaining()).put(set.duplicate()).flip();
                (type == NalUnit.SPS ? sequence : picture).add(copy.asReadOnlyBuffer());
            }
        }
        this.sequenceParameterSets = List.copyOf(sequence);
        this.pictureParameterSets = List.copyOf(picture);
    }

    /**
     * Takes the next RTP packet of the stream.
     *
     * @param rtpPacket a whole RTP packet, read from its position to its limit; not moved and not retained
     * @return the access unit this packet completes, otherwise empty
     */
    public Optional<AccessUnit> accept(ByteBuffer rtpPacket) {
        if (!RtpHeader.isValid(rtpPacket) || RtpHeader.isRtcp(rtpPacket)) {
            return Optional.empty();
        }
        int sequence = RtpHeader.sequence(rtpPacket);
        boolean lost = false;
        if (started) {
            int gap = (sequence - nextSequence) & 0xFFFF;
            if (gap >= 0x8000) {
                return Optional.empty();
            }
            lost = gap > 0;
        }
        started = true;
        nextSequence = (sequence + 1) & 0xFFFF;
        long ts = RtpHeader.timestamp(rtpPacket);
        boolean marker = RtpHeader.marker(rtpPacket);
        ByteBuffer payload = rtpPacket.slice(rtpPacket.position() + RtpHeader.payloadOffset(rtpPacket),
                RtpHeader.payloadLength(rtpPacket));

        AccessUnit done = null;
        if (collecting && ts != timestamp) {
            if (lost || fragmenting) {
                drop();
            } else {
                done = finish();
            }
        }
        if (discarding && ts != discardTimestamp) {
            discarding = false;
        }
        if (lost && !discarding && (collecting || !beginsPicture(payload))) {
            breakUnit(ts);
        }
        if (discarding) {
            if (marker) {
                discarding = false;
            }
            return Optional.ofNullable(done);
        }
        if (!collecting) {
            begin(ts);
        }
        if (!take(payload)) {
            breakUnit(ts);
            if (marker) {
                discarding = false;
            }
            return Optional.ofNullable(done);
        }
        if (marker || markerPending) {
            if (fragmenting) {
                breakUnit(ts);
                discarding = false;
            } else if (done == null) {
                done = finish();
            } else {
                // Two units end with this packet; the second waits for the next timestamp to complete it.
                markerPending = true;
            }
        }
        return Optional.ofNullable(done);
    }

    /** Access units abandoned so far because packets were lost, reordered or unusable. */
    public long droppedFrames() {
        return droppedFrames;
    }

    /**
     * Whether a payload visibly starts an access unit: an AUD, SEI, SPS or PPS, or a slice with
     * {@code first_mb_in_slice} 0, alone, first in a STAP-A or in a starting FU-A. After a gap, such a
     * packet shows that what was lost ended before it.
     */
    private static boolean beginsPicture(ByteBuffer p) {
        int size = p.remaining();
        if (size < 2) {
            return false;
        }
        int type = p.get(0) & 0x1F;
        int at = 0;
        if (type == NalUnit.STAP_A) {
            at = 3;
        } else if (type == NalUnit.FU_A) {
            if ((p.get(1) & 0x80) == 0) {
                return false;
            }
            at = 1;
        }
        if (at + 1 >= size) {
            return false;
        }
        int nalType = p.get(at) & 0x1F;
        if (nalType == NalUnit.AUD || nalType == NalUnit.SEI || nalType == NalUnit.SPS || nalType == NalUnit.PPS) {
            return true;
        }
        return (nalType == NalUnit.SLICE || nalType == 2 || nalType == NalUnit.IDR) && (p.get(at + 1) & 0x80) != 0;
    }

    /** Adds the NAL units of one payload; false if the payload is unusable. */
    private boolean take(ByteBuffer p) {
        int size = p.remaining();
        if (size < 1) {
            return false;
        }
        int header = p.get(0) & 0xFF;
        int type = header & 0x1F;
        if (type >= 1 && type <= 23) {
            return !fragmenting && append(p, 0, size);
        }
        if (type == NalUnit.STAP_A) {
            if (fragmenting) {
                return false;
            }
            int at = 1;
            if (at >= size) {
                return false;
            }
            while (at < size) {
                if (at + 2 > size) {
                    return false;
                }
                int unitSize = ((p.get(at) & 0xFF) << 8) | (p.get(at + 1) & 0xFF);
                at += 2;
                if (unitSize == 0 || at + unitSize > size || !append(p, at, unitSize)) {
                    return false;
                }
                at += unitSize;
            }
            return true;
        }
        if (type == NalUnit.FU_A) {
            if (size < 3) {
                return false;
            }
            int fu = p.get(1) & 0xFF;
            boolean start = (fu & 0x80) != 0;
            boolean end = (fu & 0x40) != 0;
            if (start) {
                if (fragmenting) {
                    return false;
                }
                if (!ensure(START_CODE.length + 1 + size - 2)) {
                    return false;
                }
                System.arraycopy(START_CODE, 0, unit, length, START_CODE.length);
                length += START_CODE.length;
                int original = (header & 0xE0) | (fu & 0x1F);
                unit[length++] = (byte) original;
                noteType(original & 0x1F);
                fragmenting = true;
            } else if (!fragmenting) {
                return false;
            }
            if (!ensure(size - 2)) {
                return false;
            }
            p.get(2, unit, length, size - 2);
            length += size - 2;
            if (end) {
                fragmenting = false;
            }
            return true;
        }
        // 0, 30, 31 are reserved and ignored; 25, 26, 27, 29 belong to the interleaved mode and cannot be read.
        return type == 0 || type >= 30;
    }

    private boolean append(ByteBuffer p, int at, int size) {
        if (!ensure(START_CODE.length + size)) {
            return false;
        }
        System.arraycopy(START_CODE, 0, unit, length, START_CODE.length);
        length += START_CODE.length;
        p.get(at, unit, length, size);
        length += size;
        noteType(p.get(at) & 0x1F);
        return true;
    }

    private void noteType(int type) {
        idr |= type == NalUnit.IDR;
        sps |= type == NalUnit.SPS;
        pps |= type == NalUnit.PPS;
    }

    private boolean ensure(int more) {
        if (length + more > unit.length) {
            if (length + more > MAX_ACCESS_UNIT) {
                return false;
            }
            unit = Arrays.copyOf(unit, Math.min(MAX_ACCESS_UNIT, Math.max(unit.length * 2, length + more)));
        }
        return true;
    }

    private void begin(long ts) {
        collecting = true;
        timestamp = ts;
        fragmenting = false;
        idr = false;
        sps = false;
        pps = false;
        markerPending = false;
        length = 0;
        if (unit == null) {
            unit = new byte[Math.max(MIN_BUFFER, lastSize + lastSize / 4)];
        }
    }

    private AccessUnit finish() {
        collecting = false;
        markerPending = false;
        if (length == 0) {
            return null;
        }
        byte[] bytes = unit;
        int size = length;
        if (idr && (!sps || !pps)) {
            List<ByteBuffer> missing = new ArrayList<>(2);
            if (!sps) {
                missing.addAll(sequenceParameterSets);
            }
            if (!pps) {
                missing.addAll(pictureParameterSets);
            }
            if (!missing.isEmpty()) {
                ByteBuffer sets = AnnexB.join(missing);
                bytes = new byte[sets.remaining() + size];
                sets.get(bytes, 0, sets.remaining());
                System.arraycopy(unit, 0, bytes, bytes.length - size, size);
                size = bytes.length;
            }
        }
        if (bytes == unit) {
            unit = null;
        }
        lastSize = size;
        return new AccessUnit(timestamp, idr, ByteBuffer.wrap(bytes, 0, size).slice());
    }

    /** Abandons the unit being collected, which has the packet's timestamp, and skips the rest of it. */
    private void breakUnit(long ts) {
        if (collecting) {
            drop();
        } else if (discarding && discardTimestamp == ts) {
            return;
        } else {
            droppedFrames++;
        }
        discarding = true;
        discardTimestamp = ts;
    }

    private void drop() {
        collecting = false;
        fragmenting = false;
        markerPending = false;
        droppedFrames++;
    }
}
