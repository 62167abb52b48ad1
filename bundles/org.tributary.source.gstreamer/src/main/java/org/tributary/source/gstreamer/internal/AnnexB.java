package org.tributary.source.gstreamer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the NAL units of an H.264 access unit in Annex B byte-stream form (each unit after a
 * {@code 00 00 01} or {@code 00 00 00 01} start code).
 */
final class AnnexB {

    /** NAL unit type of a sequence parameter set. */
    static final int SPS = 7;
    /** NAL unit type of a picture parameter set. */
    static final int PPS = 8;
    /** NAL unit type of a slice of an IDR picture. */
    static final int IDR = 5;

    private AnnexB() {
    }

    /**
     * The NAL units of {@code au}, each a read-only view without its start code; bytes before the first start
     * code are ignored. {@code au} itself is not moved.
     */
    static List<ByteBuffer> units(ByteBuffer au) {
        List<ByteBuffer> units = new ArrayList<>();
        int limit = au.limit();
        int start = -1;
        int i = au.position();
        while (i + 2 < limit) {
            if (au.get(i) == 0 && au.get(i + 1) == 0 && au.get(i + 2) == 1) {
                if (start >= 0) {
                    units.add(slice(au, start, trimZeros(au, start, i)));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < limit) {
            units.add(slice(au, start, limit));
        }
        return units;
    }

    /** The type (low five bits of the header byte) of a NAL unit without start code. */
    static int type(ByteBuffer unit) {
        return unit.get(unit.position()) & 0x1f;
    }

    /** The SPS and PPS of an access unit, in that order, or an empty list when either is missing. */
    static List<ByteBuffer> parameterSets(ByteBuffer au) {
        ByteBuffer sps = null;
        ByteBuffer pps = null;
        for (ByteBuffer unit : units(au)) {
            if (!unit.hasRemaining()) {
                continue;
            }
            int type = type(unit);
            if (type == SPS && sps == null) {
                sps = copy(unit);
            } else if (type == PPS && pps == null) {
                pps = copy(unit);
            }
        }
        return sps == null || pps == null ? List.of() : List.of(sps, pps);
    }

    // The zeros before a four-byte start code belong to the start code, not to the unit before it.
    private static int trimZeros(ByteBuffer au, int from, int end) {
        while (end > from && au.get(end - 1) == 0) {
            end--;
        }
        return end;
    }

    private static ByteBuffer slice(ByteBuffer au, int from, int to) {
        return au.duplicate().position(from).limit(to).slice().asReadOnlyBuffer();
    }

    // Parameter sets outlive the frame they came from; a copy keeps the whole frame from being retained.
    private static ByteBuffer copy(ByteBuffer unit) {
        ByteBuffer copy = ByteBuffer.allocate(unit.remaining());
        copy.put(unit.duplicate()).flip();
        return copy.asReadOnlyBuffer();
    }
}
