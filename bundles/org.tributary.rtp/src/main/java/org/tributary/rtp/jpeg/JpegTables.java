package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;

/**
 * The tables RFC 2435 receivers assume: ITU T.81 Annex K quantization tables (scaled by Q, Appendix A) and
 * the Annex K.3 Huffman tables, which replace any DHT, so senders may only use these.
 */
final class JpegTables {

    /** Natural (row-major) position of the i-th coefficient in zigzag order. */
    static final int[] ZIGZAG = {
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63};

    /** Annex K.1, natural order. */
    private static final int[] LUMA_QUANTIZER = {
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};

    /** Annex K.2, natural order. */
    private static final int[] CHROMA_QUANTIZER = {
        17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
        24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
        99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

    static final byte[] DC_LUMA_BITS = bytes(0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    static final byte[] DC_LUMA_VALUES = bytes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    static final byte[] DC_CHROMA_BITS = bytes(0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0);
    static final byte[] DC_CHROMA_VALUES = DC_LUMA_VALUES;
    static final byte[] AC_LUMA_BITS = bytes(0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 125);
    static final byte[] AC_LUMA_VALUES = bytes(
        1, 2, 3, 0, 4, 17, 5, 18, 33, 49, 65, 6, 19, 81, 97, 7,
        34, 113, 20, 50, 129, 145, 161, 8, 35, 66, 177, 193, 21, 82, 209, 240,
        36, 51, 98, 114, 130, 9, 10, 22, 23, 24, 25, 26, 37, 38, 39, 40,
        41, 42, 52, 53, 54, 55, 56, 57, 58, 67, 68, 69, 70, 71, 72, 73,
        74, 83, 84, 85, 86, 87, 88, 89, 90, 99, 100, 101, 102, 103, 104, 105,
        106, 115, 116, 117, 118, 119, 120, 121, 122, 131, 132, 133, 134, 135, 136, 137,
        138, 146, 147, 148, 149, 150, 151, 152, 153, 154, 162, 163, 164, 165, 166, 167,
        168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195, 196, 197,
        198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218, 225, 226,
        227, 228, 229, 230, 231, 232, 233, 234, 241, 242, 243, 244, 245, 246, 247, 248,
        249, 250);
    static final byte[] AC_CHROMA_BITS = bytes(0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 119);
    static final byte[] AC_CHROMA_VALUES = bytes(
        0, 1, 2, 3, 17, 4, 5, 33, 49, 6, 18, 65, 81, 7, 97, 113,
        19, 34, 50, 129, 8, 20, 66, 145, 161, 177, 193, 9, 35, 51, 82, 240,
        21, 98, 114, 209, 10, 22, 36, 52, 225, 37, 241, 23, 24, 25, 26, 38,
        39, 40, 41, 42, 53, 54, 55, 56, 57, 58, 67, 68, 69, 70, 71, 72,
        73, 74, 83, 84, 85, 86, 87, 88, 89, 90, 99, 100, 101, 102, 103, 104,
        105, 106, 115, 116, 117, 118, 119, 120, 121, 122, 130, 131, 132, 133, 134, 135,
        136, 137, 138, 146, 147, 148, 149, 150, 151, 152, 153, 154, 162, 163, 164, 165,
        166, 167, 168, 169, 170, 178, 179, 180, 181, 182, 183, 184, 185, 186, 194, 195,
        196, 197, 198, 199, 200, 201, 202, 210, 211, 212, 213, 214, 215, 216, 217, 218,
        226, 227, 228, 229, 230, 231, 232, 233, 234, 242, 243, 244, 245, 246, 247, 248,
        249, 250);

    private JpegTables() {
    }

    /**
     * Whether a DHT table equals the standard one for its class (0 = DC, 1 = AC) and destination (0 = luma,
     * 1 = chroma). {@code table} is positioned at the 16 code-length counts.
     */
    static boolean isStandard(int tableClass, int id, ByteBuffer table, int at, int valueCount) {
        byte[] bits;
        byte[] values;
        if (tableClass == 0) {
            bits = id == 0 ? DC_LUMA_BITS : DC_CHROMA_BITS;
            values = id == 0 ? DC_LUMA_VALUES : DC_CHROMA_VALUES;
        } else {
            bits = id == 0 ? AC_LUMA_BITS : AC_CHROMA_BITS;
            values = id == 0 ? AC_LUMA_VALUES : AC_CHROMA_VALUES;
        }
        if (valueCount != values.length) {
            return false;
        }
        for (int i = 0; i < 16; i++) {
            if (table.get(at + i) != bits[i]) {
                return false;
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (table.get(at + 16 + i) != values[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The luma (first 64 bytes) and chroma (next 64) tables for Q 1..99, in zigzag order, by the IJG scaling
     * of RFC 2435 Appendix A.
     */
    static byte[] scaledTables(int q) {
        int factor = Math.max(1, Math.min(99, q));
        int scale = factor < 50 ? 5000 / factor : 200 - factor * 2;
        byte[] tables = new byte[128];
        for (int i = 0; i < 64; i++) {
            tables[i] = (byte) clamp((LUMA_QUANTIZER[ZIGZAG[i]] * scale + 50) / 100);
            tables[64 + i] = (byte) clamp((CHROMA_QUANTIZER[ZIGZAG[i]] * scale + 50) / 100);
        }
        return tables;
    }

    private static int clamp(int v) {
        return Math.max(1, Math.min(255, v));
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
