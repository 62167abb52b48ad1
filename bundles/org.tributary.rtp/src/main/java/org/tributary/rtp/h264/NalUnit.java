package org.tributary.rtp.h264;

import java.nio.ByteBuffer;

/**
 * H.264 NAL unit types (ITU-T H.264 Table 7-1) and the RTP packet types of RFC 6184 that share their
 * number space, with readers for the one-byte NAL unit header.
 *
 * <p>Stateless and thread-safe.
 */
public final class NalUnit {

    /** Coded slice of a non-IDR picture. */
    public static final int SLICE = 1;
    /** Coded slice of an IDR picture: a decoder can start here. */
    public static final int IDR = 5;
    /** Supplemental enhancement information. */
    public static final int SEI = 6;
    /** Sequence parameter set. */
    public static final int SPS = 7;
    /** Picture parameter set. */
    public static final int PPS = 8;
    /** Access unit delimiter. */
    public static final int AUD = 9;
    /** End of sequence. */
    public static final int END_OF_SEQUENCE = 10;
    /** End of stream. */
    public static final int END_OF_STREAM = 11;
    /** RTP single-time aggregation packet (RFC 6184 §5.7.1). */
    public static final int STAP_A = 24;
    /** RTP fragmentation unit without decoding order number (RFC 6184 §5.8). */
    public static final int FU_A = 28;

    private NalUnit() {
    }

    /** The type (low five bits of the header byte) of a NAL unit starting at the buffer's position. */
    public static int type(ByteBuffer nal) {
        return nal.get(nal.position()) & 0x1F;
    }

    /** Whether a type is a coded slice (types 1 to 5), the part of an access unit that holds the picture. */
    public static boolean isSlice(int type) {
        return type >= SLICE && type <= IDR;
    }
}
