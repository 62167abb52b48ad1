package org.tributary.rtp.h264;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The H.264 Annex B byte stream: NAL units each behind a start code ({@code 00 00 01}, or {@code 00 00 00 01}
 * with its leading zero byte), as encoders write {@code .h264} files and as a {@code Frame} carries one access
 * unit.
 *
 * <p>Splitting into access units follows ITU-T H.264 §7.4.1.2.3 as far as the encoders Tributary meets need
 * (x264 through FFmpeg or GStreamer, any slice count): a new access unit begins at an access unit delimiter,
 * at an SEI, SPS, PPS or type 14..18 NAL unit after the current unit's first slice, at a slice whose
 * {@code first_mb_in_slice} is 0 after the current unit's first slice, and after an end of sequence or end of
 * stream. Arbitrary slice order and redundant pictures (never written by x264) are not told apart.
 *
 * <p>Every returned buffer is a read-only view of the input (no copy) unless the method says otherwise; the
 * input's position and limit are not moved. Bytes before the first start code, and zero bytes trailing a
 * NAL unit (they belong to the next start code or are padding), are not part of any NAL unit.
 *
 * <p>Stateless and thread-safe.
 */
public final class AnnexB {

    private static final byte[] START_CODE = {0, 0, 0, 1};

    private AnnexB() {
    }

    /** The NAL units of a byte stream in order, each without its start code. Empty NAL units are skipped. */
    public static List<ByteBuffer> nalUnits(ByteBuffer stream) {
        int[] found = scan(stream);
        List<ByteBuffer> units = new ArrayList<>(found[0]);
        for (int k = 0; k < found[0]; k++) {
            units.add(view(stream, found[3 * k + 2], found[3 * k + 3]));
        }
        return units;
    }

    /**
     * The access units of a byte stream in order, each still in Annex B form: from the start code of its
     * first NAL unit to the end of its last. The last access unit ends where the bytes end, so a caller
     * reading a stream piecewise keeps it until more bytes (or the end of the stream) arrive.
     */
    public static List<ByteBuffer> accessUnits(ByteBuffer stream) {
        int[] found = scan(stream);
        int count = found[0];
        List<ByteBuffer> units = new ArrayList<>();
        int first = 0;
        boolean hasSlice = false;
        boolean ended = false;
        for (int k = 0; k < count; k++) {
            int start = found[3 * k + 2];
            int end = found[3 * k + 3];
            int type = stream.get(start) & 0x1F;
            if (k > first && beginsAccessUnit(stream, start, end, type, hasSlice, ended)) {
                units.add(view(stream, found[3 * first + 1], found[3 * k]));
                first = k;
                hasSlice = false;
                ended = false;
            }
            hasSlice |= NalUnit.isSlice(type);
            ended |= type == NalUnit.END_OF_SEQUENCE || type == NalUnit.END_OF_STREAM;
        }
        if (count > 0) {
            units.add(view(stream, found[3 * first + 1], found[3 * count]));
        }
        return units;
    }

    /** Whether the bytes hold a slice of an IDR picture, i.e. a decoder can start at them. */
    public static boolean containsIdr(ByteBuffer accessUnit) {
        int[] found = scan(accessUnit);
        for (int k = 0; k < found[0]; k++) {
            if ((accessUnit.get(found[3 * k + 2]) & 0x1F) == NalUnit.IDR) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first SPS and the first PPS of the bytes, in that order and without start codes, as
     * {@code MediaInfo.parameterSets} and SDP's {@code sprop-parameter-sets} take them; empty when either is
     * missing. The two are copies, so keeping them does not keep the whole stream in memory.
     */
    public static List<ByteBuffer> parameterSets(ByteBuffer stream) {
        ByteBuffer sps = null;
        ByteBuffer pps = null;
        for (ByteBuffer nal : nalUnits(stream)) {
            int type = NalUnit.type(nal);
            if (type == NalUnit.SPS && sps == null) {
                sps = copy(nal);
            } else if (type == NalUnit.PPS && pps == null) {
                pps = copy(nal);
            }
        }
        return sps == null || pps == null ? List.of() : List.of(sps, pps);
    }

    /** NAL units (without start codes) joined into a new Annex B byte stream with 4-byte start codes. */
    public static ByteBuffer join(List<ByteBuffer> nalUnits) {
        int size = 0;
        for (ByteBuffer nal : nalUnits) {
            size += START_CODE.length + nal.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer nal : nalUnits) {
            out.put(START_CODE).put(nal.duplicate());
        }
        return out.flip();
    }

    private static boolean beginsAccessUnit(ByteBuffer b, int start, int end, int type, boolean hasSlice,
            boolean ended) {
        if (ended || type == NalUnit.AUD) {
            return true;
        }
        if (!hasSlice) {
            return false;
        }
        if (type == NalUnit.SEI || type == NalUnit.SPS || type == NalUnit.PPS || (type >= 14 && type <= 18)) {
            return true;
        }
        // Partitions B and C (types 3, 4) start with slice_id, not first_mb_in_slice, and never begin a picture.
        // first_mb_in_slice is ue(v): the value 0 is the single bit 1, and the byte after the header can never
        // be an emulation prevention byte.
        return (type == NalUnit.SLICE || type == 2 || type == NalUnit.IDR) && end - start > 1
                && (b.get(start + 1) & 0x80) != 0;
    }

    /**
     * Finds the NAL units: {@code [count, (prefix start, NAL start, NAL end) * count, ...]} in absolute
     * indices, where the prefix start is where the start code (with its zero bytes) begins.
     */
    static int[] scan(ByteBuffer b) {
        int[] found = new int[1 + 3 * 8];
        int limit = b.limit();
        int floor = b.position();
        int code = findStartCode(b, floor, limit);
        while (code >= 0) {
            int start = code + 3;
            int next = findStartCode(b, start, limit);
            int end = next < 0 ? limit : next;
            while (end > start && b.get(end - 1) == 0) {
                end--;
            }
            if (end > start) {
                int prefix = code;
                while (prefix > floor && b.get(prefix - 1) == 0) {
                    prefix--;
                }
                int k = found[0]++;
                if (3 * k + 3 >= found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                found[3 * k + 1] = prefix;
                found[3 * k + 2] = start;
                found[3 * k + 3] = end;
                floor = end;
            }
            code = next;
        }
        return found;
    }

    /** The index of the next {@code 00 00 01} at or after {@code from}, or -1. */
    static int findStartCode(ByteBuffer b, int from, int limit) {
        int i = from;
        while (i + 2 < limit) {
            byte c = b.get(i + 2);
            if (c == 0) {
                i++;
            } else if (c == 1 && b.get(i + 1) == 0 && b.get(i) == 0) {
                return i;
            } else {
                // No start code can begin at i, i + 1 or i + 2 when the third byte is neither 0 nor a match.
                i += 3;
            }
        }
        return -1;
    }

    private static ByteBuffer view(ByteBuffer b, int from, int to) {
        return b.slice(from, to - from).asReadOnlyBuffer();
    }

    private static ByteBuffer copy(ByteBuffer nal) {
        ByteBuffer copy = ByteBuffer.allocate(nal.remaining());
        copy.put(nal.duplicate()).flip();
        return copy.asReadOnlyBuffer();
    }
}
