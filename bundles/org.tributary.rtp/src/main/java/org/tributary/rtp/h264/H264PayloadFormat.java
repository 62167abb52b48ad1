package org.tributary.rtp.h264;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.PayloadFormat;
import org.tributary.rtp.RtpException;

/**
 * RTP/H.264 in packetization mode 1 (RFC 6184): one access unit in Annex B form becomes, in decoding order,
 * single NAL unit packets (§5.6) for NAL units that fit, STAP-A packets (§5.7.1) for runs of consecutive NAL
 * units that fit together (SPS, PPS and SEI before the first slice, small slices of one picture), and FU-A
 * fragments (§5.8) for NAL units larger than a payload. The packetizer marks the last payload, so the marker
 * bit ends the access unit (§5.1).
 *
 * <p>Access unit delimiters (type 9) are left out: RFC 6184 makes them optional, receivers rebuild the
 * access unit from the marker bit and the timestamp, and they would cost a packet or a STAP-A slot per frame.
 * Every other NAL unit travels unchanged and in order.
 *
 * <p>Parameter sets: a viewer joins at the next IDR, so an IDR access unit has to carry the SPS and PPS
 * in-band (PROTOCOL.md §7) even where the SDP has them too. Encoders such as x264 repeat them before every
 * IDR; for sources that send them only once (or only out of band), construct the format with the stream's
 * parameter sets ({@code MediaInfo.parameterSets()}): an access unit with an IDR slice that lacks an SPS or a
 * PPS gets the missing ones in front of its first NAL unit. Access units without an IDR slice are never
 * changed.
 *
 * <p>Immutable and thread-safe; one instance serves one stream (or every stream with the same parameter
 * sets). Per frame: one scan for start codes, one backing array for all payloads, every NAL unit byte copied
 * into it once.
 */
public final class H264PayloadFormat implements PayloadFormat {

    /** FU indicator and FU header in front of every fragment. */
    private static final int FU_OVERHEAD = 2;
    private static final int STAP_A_HEADER = 1;
    private static final int STAP_A_SIZE_FIELD = 2;
    private static final int MAX_STAP_A_UNIT = 0xFFFF;

    private final List<ByteBuffer> sequenceParameterSets;
    private final List<ByteBuffer> pictureParameterSets;

    /** A format that sends access units as they are, for sources whose IDRs carry SPS and PPS in-band. */
    public H264PayloadFormat() {
        this(List.of());
    }

    /**
     * A format that puts the given parameter sets in front of IDR access units that lack them.
     *
     * @param parameterSets SPS and PPS NAL units without start codes, as {@code MediaInfo.parameterSets()}
     *        gives them; copied, so the caller may reuse the buffers
     * @throws IllegalArgumentException if one of them is empty or neither an SPS nor a PPS
     */
    public H264PayloadFormat(List<ByteBuffer> parameterSets) {
        List<ByteBuffer> sps = new ArrayList<>(1);
        List<ByteBuffer> pps = new ArrayList<>(1);
        for (ByteBuffer set : parameterSets) {
            int type = set.hasRemaining() ? NalUnit.type(set) : -1;
            if (type != NalUnit.SPS && type != NalUnit.PPS) {
                throw new IllegalArgumentException("H.264 parameter sets must be SPS (type 7) or PPS (type 8) NAL "
                        + "units without start codes; got " + (type < 0 ? "an empty buffer" : "NAL unit type " + type));
            }
            ByteBuffer copy = ByteBuffer.allocate(set.remaining()).put(set.duplicate()).flip().asReadOnlyBuffer();
            (type == NalUnit.SPS ? sps : pps).add(copy);
        }
        this.sequenceParameterSets = List.copyOf(sps);
        this.pictureParameterSets = List.copyOf(pps);
    }

    @Override
    public String encodingName() {
        return Codec.H264.encodingName();
    }

    @Override
    public int clockRate() {
        return Codec.H264.clockRate();
    }

    @Override
    public void payloads(Frame frame, int maxPayloadSize, int headroom, List<ByteBuffer> out) throws RtpException {
        if (frame.codec() != Codec.H264) {
            throw new RtpException("frame #" + frame.index() + " is " + frame.codec() + ", not H.264");
        }
        if (maxPayloadSize < FU_OVERHEAD + 1) {
            throw new RtpException("a payload of " + maxPayloadSize
                    + " bytes cannot hold an H.264 FU-A fragment; raise the packet size");
        }
        ByteBuffer data = frame.data();
        int[] found = AnnexB.scan(data);
        List<ByteBuffer> nals = new ArrayList<>(found[0] + 2);
        boolean idr = false;
        boolean sps = false;
        boolean pps = false;
        for (int k = 0; k < found[0]; k++) {
            int start = found[3 * k + 2];
            int type = data.get(start) & 0x1F;
            if (type == NalUnit.AUD) {
                continue;
            }
            idr |= type == NalUnit.IDR;
            sps |= type == NalUnit.SPS;
            pps |= type == NalUnit.PPS;
            nals.add(data.slice(start, found[3 * k + 3] - start));
        }
        if (nals.isEmpty()) {
            throw new RtpException("frame #" + frame.index() + " (" + frame.size() + " bytes) holds no H.264 NAL unit;"
                    + " H.264 frames must be Annex B access units with start codes (ffmpeg -bsf:v h264_mp4toannexb,"
                    + " GStreamer stream-format=byte-stream)");
        }
        if (idr && (!sps || !pps)) {
            List<ByteBuffer> missing = new ArrayList<>(2);
            if (!sps) {
                missing.addAll(sequenceParameterSets);
            }
            if (!pps) {
                missing.addAll(pictureParameterSets);
            }
            nals.addAll(0, missing);
        }
        byte[] array = new byte[layout(nals, maxPayloadSize, headroom, null, null)];
        layout(nals, maxPayloadSize, headroom, array, out);
    }

    /**
     * Lays the NAL units out as payloads, each behind {@code headroom} bytes. With a {@code null} array it
     * only measures; both passes take the same decisions, so the measured size is exact.
     *
     * @return the bytes used
     */
    private static int layout(List<ByteBuffer> nals, int max, int headroom, byte[] array, List<ByteBuffer> out) {
        ByteBuffer whole = array == null ? null : ByteBuffer.wrap(array);
        int at = 0;
        int count = nals.size();
        int i = 0;
        while (i < count) {
            ByteBuffer nal = nals.get(i);
            int length = nal.remaining();
            if (length > max) {
                at = fragment(nal, max, headroom, array, whole, at, out);
                i++;
                continue;
            }
            int end = i + 1;
            int stapLength = STAP_A_HEADER + STAP_A_SIZE_FIELD + length;
            if (length <= MAX_STAP_A_UNIT) {
                while (end < count) {
                    int next = nals.get(end).remaining();
                    if (next > MAX_STAP_A_UNIT || stapLength + STAP_A_SIZE_FIELD + next > max) {
                        break;
                    }
                    stapLength += STAP_A_SIZE_FIELD + next;
                    end++;
                }
            }
            int start = at;
            at += headroom;
            if (end == i + 1) {
                if (array != null) {
                    nal.get(0, array, at, length);
                }
                at += length;
            } else {
                if (array != null) {
                    int forbidden = 0;
                    int nri = 0;
                    int p = at + STAP_A_HEADER;
                    for (int k = i; k < end; k++) {
                        ByteBuffer unit = nals.get(k);
                        int size = unit.remaining();
                        forbidden |= unit.get(0) & 0x80;
                        nri = Math.max(nri, unit.get(0) & 0x60);
                        array[p] = (byte) (size >>> 8);
                        array[p + 1] = (byte) size;
                        unit.get(0, array, p + STAP_A_SIZE_FIELD, size);
                        p += STAP_A_SIZE_FIELD + size;
                    }
                    array[at] = (byte) (forbidden | nri | NalUnit.STAP_A);
                }
                at += stapLength;
            }
            if (out != null) {
                out.add(whole.slice(start, at - start));
            }
            i = end;
        }
        return at;
    }

    /** FU-A fragments of one NAL unit; its header byte travels split into the FU indicator and FU header. */
    private static int fragment(ByteBuffer nal, int max, int headroom, byte[] array, ByteBuffer whole, int at,
            List<ByteBuffer> out) {
        int header = nal.get(0) & 0xFF;
        int length = nal.remaining();
        int capacity = max - FU_OVERHEAD;
        int offset = 1;
        while (offset < length) {
            int chunk = Math.min(capacity, length - offset);
            int start = at;
            at += headroom;
            if (array != null) {
                int flags = (offset == 1 ? 0x80 : 0) | (offset + chunk == length ? 0x40 : 0);
                array[at] = (byte) ((header & 0xE0) | NalUnit.FU_A);
                array[at + 1] = (byte) (flags | (header & 0x1F));
                nal.get(offset, array, at + FU_OVERHEAD, chunk);
                out.add(whole.slice(start, headroom + FU_OVERHEAD + chunk));
            }
            at += FU_OVERHEAD + chunk;
            offset += chunk;
        }
        return at;
    }
}
