package org.tributary.rtp.h264;

import java.nio.ByteBuffer;
import java.util.Locale;

import org.tributary.rtp.RtpException;

/**
 * What SDP and {@code MediaInfo} need from an H.264 sequence parameter set (ITU-T H.264 §7.3.2.1.1): the
 * profile and level, and the displayed picture size after frame cropping.
 *
 * <p>Immutable and safe to share.
 *
 * @param profileIdc {@code profile_idc}, e.g. 66 baseline, 77 main, 100 high
 * @param constraintFlags the byte of {@code constraint_set0_flag..constraint_set5_flag} and reserved bits
 * @param levelIdc {@code level_idc}, ten times the level (31 = level 3.1)
 * @param width the displayed width in pixels: macroblock columns times 16 minus the cropped columns
 * @param height the displayed height in pixels, counting both fields of an interlaced frame
 * @param frameMbsOnly false when pictures may be coded as fields (interlaced)
 */
public record SequenceParameterSet(int profileIdc, int constraintFlags, int levelIdc, int width, int height,
        boolean frameMbsOnly) {

    /**
     * The SDP {@code profile-level-id} (RFC 6184 §8.1): the three bytes after the NAL header, in upper-case
     * hex, e.g. {@code 42C01F}.
     */
    public String profileLevelId() {
        return String.format(Locale.ROOT, "%02X%02X%02X", profileIdc, constraintFlags, levelIdc);
    }

    /**
     * The {@code profile-level-id} of an SPS NAL unit (without start code) from its bytes 1..3, without
     * parsing the rest.
     *
     * @throws RtpException if the unit is shorter than 4 bytes or not an SPS
     */
    public static String profileLevelId(ByteBuffer sps) throws RtpException {
        requireSps(sps);
        int at = sps.position();
        return String.format(Locale.ROOT, "%02X%02X%02X", sps.get(at + 1), sps.get(at + 2), sps.get(at + 3));
    }

    /**
     * Parses an SPS NAL unit, header byte first, without start code; emulation prevention bytes are taken
     * out as it is read. The buffer's position is not moved.
     *
     * @throws RtpException if the unit is not an SPS or ends before the frame cropping fields
     */
    public static SequenceParameterSet parse(ByteBuffer sps) throws RtpException {
        requireSps(sps);
        try {
            return read(new BitReader(sps));
        } catch (IndexOutOfBoundsException e) {
            throw new RtpException("the H.264 SPS (" + sps.remaining() + " bytes) ends before its picture size", e);
        }
    }

    private static void requireSps(ByteBuffer sps) throws RtpException {
        if (sps.remaining() < 4 || NalUnit.type(sps) != NalUnit.SPS) {
            throw new RtpException("not an H.264 SPS: " + sps.remaining() + " bytes"
                    + (sps.hasRemaining() ? ", NAL unit type " + NalUnit.type(sps) : ""));
        }
    }

    private static SequenceParameterSet read(BitReader r) throws RtpException {
        r.bits(8);
        int profile = r.bits(8);
        int constraints = r.bits(8);
        int level = r.bits(8);
        r.ue(); // seq_parameter_set_id
        int chromaFormat = 1;
        boolean separateColourPlanes = false;
        if (hasChromaInfo(profile)) {
            chromaFormat = r.ue();
            if (chromaFormat > 3) {
                throw new RtpException("the H.264 SPS has chroma_format_idc " + chromaFormat + ", at most 3");
            }
            if (chromaFormat == 3) {
                separateColourPlanes = r.bit();
            }
            r.ue(); // bit_depth_luma_minus8
            r.ue(); // bit_depth_chroma_minus8
            r.bit(); // qpprime_y_zero_transform_bypass_flag
            if (r.bit()) {
                int lists = chromaFormat != 3 ? 8 : 12;
                for (int i = 0; i < lists; i++) {
                    if (r.bit()) {
                        skipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }
        r.ue(); // log2_max_frame_num_minus4
        int pocType = r.ue();
        if (pocType == 0) {
            r.ue(); // log2_max_pic_order_cnt_lsb_minus4
        } else if (pocType == 1) {
            r.bit(); // delta_pic_order_always_zero_flag
            r.se(); // offset_for_non_ref_pic
            r.se(); // offset_for_top_to_bottom_field
            int cycle = r.ue();
            if (cycle > 255) {
                throw new RtpException("the H.264 SPS has " + cycle
                        + " reference frames in its POC cycle, at most 255");
            }
            for (int i = 0; i < cycle; i++) {
                r.se();
            }
        }
        r.ue(); // max_num_ref_frames
        r.bit(); // gaps_in_frame_num_value_allowed_flag
        long widthMbs = r.ue() + 1L;
        long heightMapUnits = r.ue() + 1L;
        boolean frameMbsOnly = r.bit();
        if (!frameMbsOnly) {
            r.bit(); // mb_adaptive_frame_field_flag
        }
        r.bit(); // direct_8x8_inference_flag
        long cropLeft = 0;
        long cropRight = 0;
        long cropTop = 0;
        long cropBottom = 0;
        if (r.bit()) {
            cropLeft = r.ue();
            cropRight = r.ue();
            cropTop = r.ue();
            cropBottom = r.ue();
        }
        int chromaArrayType = separateColourPlanes ? 0 : chromaFormat;
        int cropUnitX = chromaArrayType == 1 || chromaArrayType == 2 ? 2 : 1;
        int cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
        long width = widthMbs * 16 - cropUnitX * (cropLeft + cropRight);
        long height = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
        if (width <= 0 || height <= 0 || width > 65535 || height > 65535) {
            throw new RtpException("the H.264 SPS gives an impossible picture size " + width + "x" + height);
        }
        return new SequenceParameterSet(profile, constraints, level, (int) width, (int) height, frameMbsOnly);
    }

    /** The profiles whose SPS carries chroma format, bit depths and scaling matrices (§7.3.2.1.1). */
    private static boolean hasChromaInfo(int profile) {
        return switch (profile) {
            case 100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135 -> true;
            default -> false;
        };
    }

    private static void skipScalingList(BitReader r, int size) throws RtpException {
        int last = 8;
        int next = 8;
        for (int j = 0; j < size && next != 0; j++) {
            next = (last + r.se() + 256) % 256;
            if (next != 0) {
                last = next;
            }
        }
    }

    /** Reads the RBSP of a NAL unit bit by bit, skipping emulation prevention bytes ({@code 00 00 03}). */
    private static final class BitReader {
        private final ByteBuffer b;
        private final int limit;
        private int at;
        private int zeros;
        private int current;
        private int left;

        BitReader(ByteBuffer nal) {
            this.b = nal;
            this.at = nal.position();
            this.limit = nal.limit();
        }

        boolean bit() {
            if (left == 0) {
                if (at >= limit) {
                    throw new IndexOutOfBoundsException();
                }
                int value = b.get(at++) & 0xFF;
                if (zeros >= 2 && value == 3) {
                    zeros = 0;
                    if (at >= limit) {
                        throw new IndexOutOfBoundsException();
                    }
                    value = b.get(at++) & 0xFF;
                }
                zeros = value == 0 ? zeros + 1 : 0;
                current = value;
                left = 8;
            }
            left--;
            return ((current >>> left) & 1) != 0;
        }

        int bits(int n) {
            int value = 0;
            for (int i = 0; i < n; i++) {
                value = (value << 1) | (bit() ? 1 : 0);
            }
            return value;
        }

        /** Unsigned exp-Golomb; values above 2^31 - 2 cannot occur in a valid SPS. */
        int ue() throws RtpException {
            int leadingZeros = 0;
            while (!bit()) {
                if (++leadingZeros > 31) {
                    throw new RtpException("the H.264 SPS has an exp-Golomb code longer than 32 bits");
                }
            }
            long value = (1L << leadingZeros) - 1 + (leadingZeros == 0 ? 0 : bitsLong(leadingZeros));
            if (value > Integer.MAX_VALUE) {
                throw new RtpException("the H.264 SPS has an exp-Golomb value out of range: " + value);
            }
            return (int) value;
        }

        int se() throws RtpException {
            int k = ue();
            return (k & 1) != 0 ? (int) ((k + 1L) / 2) : -(k / 2);
        }

        private long bitsLong(int n) {
            long value = 0;
            for (int i = 0; i < n; i++) {
                value = (value << 1) | (bit() ? 1 : 0);
            }
            return value;
        }
    }
}
