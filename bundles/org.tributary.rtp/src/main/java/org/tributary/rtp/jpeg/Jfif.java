package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;

/**
 * What RFC 2435 needs from one JPEG (JFIF) image: its size, chroma sampling as an RTP/JPEG type, restart
 * interval, quantization tables and entropy-coded scan data, plus whether the image can be carried by RTP/JPEG
 * at all. Receivers rebuild every header from these fields, so an image is only compatible if that rebuild
 * gives back the same picture: baseline, 8-bit, three YCbCr components with 1x1 chroma and 2x1 or 2x2 luma
 * sampling, standard Huffman tables, one interleaved scan, at most 2040 px each way.
 *
 * <p>The buffers are read-only views of the parsed image (no copy): they stay valid as long as its bytes
 * do not change. Immutable otherwise, and safe to share.
 *
 * @param width picture width in pixels
 * @param height picture height in pixels
 * @param type the RFC 2435 type: 0 for 4:2:2 (luma 2x1), 1 for 4:2:0 (luma 2x2), -1 for anything else;
 *        the restart variants 64 and 65 are implied by a non-zero {@code restartInterval}
 * @param restartInterval MCUs between restart markers (DRI), 0 when the image has none
 * @param lumaTable the 64-byte quantization table of the Y component in zigzag order as stored in DQT;
 *        {@code null} when the image has none usable (then it is incompatible)
 * @param chromaTable the 64-byte quantization table of the Cb and Cr components, {@code null} likewise
 * @param scanData the entropy-coded bytes after the SOS header, up to but excluding EOI
 * @param incompatibility why RTP/JPEG cannot carry the image and what to do, {@code null} when it can
 */
public record Jfif(int width, int height, int type, int restartInterval, ByteBuffer lumaTable,
        ByteBuffer chromaTable, ByteBuffer scanData, String incompatibility) {

    /** The largest width or height the 8-bit width/8 and height/8 fields of RFC 2435 can express. */
    public static final int MAX_DIMENSION = 2040;

    private static final String REENCODE = "; re-encode as baseline 4:2:0 or 4:2:2 JPEG with standard Huffman"
            + " tables (e.g. ffmpeg -pix_fmt yuvj420p -huffman default)";

    /** The scan data and tables as independent read-only views. */
    public Jfif {
        scanData = scanData.asReadOnlyBuffer();
        lumaTable = lumaTable == null ? null : lumaTable.asReadOnlyBuffer();
        chromaTable = chromaTable == null ? null : chromaTable.asReadOnlyBuffer();
    }

    @Override
    public ByteBuffer scanData() {
        return scanData.duplicate();
    }

    @Override
    public ByteBuffer lumaTable() {
        return lumaTable == null ? null : lumaTable.duplicate();
    }

    @Override
    public ByteBuffer chromaTable() {
        return chromaTable == null ? null : chromaTable.duplicate();
    }

    /** Whether RFC 2435 can carry this image unchanged; if not, {@link #incompatibility()} says why. */
    public boolean rfc2435Compatible() {
        return incompatibility == null;
    }

    /**
     * Parses the image from the buffer's position to its limit, without moving the position. Bytes after EOI
     * are ignored.
     *
     * @throws JpegException if the bytes are not a well-formed JPEG image (no SOI, a truncated segment, no
     *         frame header or no scan); a well-formed image that RTP/JPEG cannot carry is returned with its
     *         {@link #incompatibility()} set instead
     */
    public static Jfif parse(ByteBuffer image) throws JpegException {
        return new Parser(image.slice()).parse();
    }

    private static final class Parser {
        private final ByteBuffer buf;
        private final int limit;
        private final int[] tableAt = {-1, -1, -1, -1};
        private final boolean[] wideTable = new boolean[4];
        private String problem;
        private int sofMarker = -1;
        private int width;
        private int height;
        private int components;
        private final int[] sampling = new int[4];
        private final int[] tableOf = new int[4];
        private int restartInterval;

        Parser(ByteBuffer buf) {
            this.buf = buf;
            this.limit = buf.limit();
        }

        Jfif parse() throws JpegException {
            if (limit < 4 || u8(0) != 0xFF || u8(1) != 0xD8) {
                throw new JpegException("not a JPEG image: it does not start with FF D8");
            }
            int pos = 2;
            while (true) {
                if (pos + 2 > limit) {
                    throw new JpegException("JPEG image ends at byte " + limit + " before its scan");
                }
                if (u8(pos) != 0xFF) {
                    throw new JpegException(String.format("expected a JPEG marker at byte %d, found %02X", pos, u8(pos)));
                }
                int marker = u8(pos + 1);
                if (marker == 0xFF) {
                    pos++;
                    continue;
                }
                if (marker == 0xD9) {
                    throw new JpegException("JPEG image has no scan: EOI at byte " + pos + " before any SOS");
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    pos += 2;
                    continue;
                }
                if (marker == 0xD8 || marker == 0x00) {
                    throw new JpegException(String.format("unexpected JPEG marker %02X at byte %d", marker, pos));
                }
                if (pos + 4 > limit) {
                    throw new JpegException("JPEG segment at byte " + pos + " is truncated");
                }
                int length = u16(pos + 2);
                int body = pos + 4;
                int end = pos + 2 + length;
                if (length < 2 || end > limit) {
                    throw new JpegException(String.format("JPEG segment %02X at byte %d has length %d but %d bytes remain",
                            marker, pos, length, limit - pos - 2));
                }
                if (marker == 0xDA) {
                    return scan(body, end);
                }
                segment(marker, body, end);
                pos = end;
            }
        }

        private void segment(int marker, int at, int end) throws JpegException {
            switch (marker) {
                case 0xDB -> quantizationTables(at, end);
                case 0xC4 -> huffmanTables(at, end);
                case 0xDD -> {
                    need(at + 2, end, "DRI");
                    restartInterval = u16(at);
                }
                case 0xEE -> {
                    // Adobe APP14 with transform 0 means RGB samples, which a rebuilt JFIF header turns into YCbCr.
                    if (end - at >= 12 && u8(at) == 'A' && u8(at + 1) == 'd' && u8(at + 2) == 'o'
                            && u8(at + 3) == 'b' && u8(at + 4) == 'e' && u8(at + 11) == 0) {
                        problem("RGB colour (Adobe transform 0); RTP/JPEG carries YCbCr only" + REENCODE);
                    }
                }
                case 0xCC -> problem("arithmetic-coded JPEG" + REENCODE);
                default -> {
                    if (marker >= 0xC0 && marker <= 0xCF) {
                        frameHeader(marker, at, end);
                    }
                }
            }
        }

        private void quantizationTables(int at, int end) throws JpegException {
            while (at < end) {
                int pq = u8(at) >>> 4;
                int tq = u8(at) & 0x0F;
                int size = pq == 0 ? 64 : 128;
                need(at + 1 + size, end, "DQT");
                if (tq > 3 || pq > 1) {
                    throw new JpegException("DQT defines table " + tq + " with precision " + pq);
                }
                tableAt[tq] = at + 1;
                wideTable[tq] = pq != 0;
                at += 1 + size;
            }
        }

        private void huffmanTables(int at, int end) throws JpegException {
            while (at < end) {
                need(at + 17, end, "DHT");
                int tableClass = u8(at) >>> 4;
                int id = u8(at) & 0x0F;
                int count = 0;
                for (int i = 0; i < 16; i++) {
                    count += u8(at + 1 + i);
                }
                need(at + 17 + count, end, "DHT");
                if (tableClass > 1 || id > 1 || !JpegTables.isStandard(tableClass, id, buf, at + 1, count)) {
                    problem("non-standard (optimized) Huffman tables; RTP/JPEG receivers use the standard ones"
                            + REENCODE);
                }
                at += 17 + count;
            }
        }

        private void frameHeader(int marker, int at, int end) throws JpegException {
            switch (marker) {
                case 0xC0 -> { }
                case 0xC1 -> problem("extended sequential JPEG (SOF1)" + REENCODE);
                case 0xC2, 0xC6, 0xCA -> problem("progressive JPEG" + REENCODE);
                default -> problem(String.format("lossless, hierarchical or arithmetic JPEG (SOF%d)", marker - 0xC0)
                        + REENCODE);
            }
            if (sofMarker >= 0) {
                throw new JpegException("JPEG image has two frame headers");
            }
            need(at + 6, end, "SOF");
            sofMarker = marker;
            if (u8(at) != 8) {
                problem(u8(at) + "-bit samples; RTP/JPEG carries 8-bit samples only" + REENCODE);
            }
            height = u16(at + 1);
            width = u16(at + 3);
            components = u8(at + 5);
            need(at + 6 + 3 * components, end, "SOF");
            for (int i = 0; i < Math.min(components, 4); i++) {
                sampling[i] = u8(at + 7 + 3 * i);
                tableOf[i] = u8(at + 8 + 3 * i) & 0x03;
            }
        }

        private Jfif scan(int at, int end) throws JpegException {
            if (sofMarker < 0) {
                throw new JpegException("JPEG image has a scan before its frame header (SOF)");
            }
            need(at + 1, end, "SOS");
            int scanComponents = u8(at);
            need(at + 1 + 2 * scanComponents + 3, end, "SOS");
            int dataEnd = endOfEntropyData(end);
            if (dataEnd < 0) {
                throw new JpegException("JPEG image ends inside its scan data (no EOI)");
            }
            if (u8(dataEnd + 1) != 0xD9) {
                problem("more than one scan; RTP/JPEG carries a single interleaved scan" + REENCODE);
            }
            int type = -1;
            if (components == 1) {
                problem("grayscale JPEG (1 component); RTP/JPEG carries 3-component YCbCr" + REENCODE);
            } else if (components != 3) {
                problem(components + "-component JPEG; RTP/JPEG carries 3-component YCbCr" + REENCODE);
            } else if (sampling[0] == sampling[1] && sampling[1] == sampling[2]) {
                problem("4:4:4 chroma sampling; RTP/JPEG carries 4:2:0 and 4:2:2 only" + REENCODE);
            } else if (sampling[1] == 0x11 && sampling[2] == 0x11 && sampling[0] == 0x21) {
                type = 0;
            } else if (sampling[1] == 0x11 && sampling[2] == 0x11 && sampling[0] == 0x22) {
                type = 1;
            } else {
                // FFmpeg's MJPEG encoder writes 4:2:2 as Y 2x2 with chroma 1x2: the same ratio, but a different
                // MCU layout from the Y 2x1 / chroma 1x1 that receivers rebuild for type 0.
                problem(String.format("sampling factors Y %dx%d, Cb %dx%d, Cr %dx%d; RTP/JPEG needs Y 2x1 (4:2:2)"
                        + " or 2x2 (4:2:0) with 1x1 chroma", sampling[0] >>> 4, sampling[0] & 0x0F,
                        sampling[1] >>> 4, sampling[1] & 0x0F, sampling[2] >>> 4, sampling[2] & 0x0F) + REENCODE);
            }
            if (components == 3) {
                if (scanComponents != 3) {
                    problem("non-interleaved scans; RTP/JPEG carries a single interleaved scan" + REENCODE);
                } else if (u8(at + 2) != 0x00 || u8(at + 4) != 0x11 || u8(at + 6) != 0x11) {
                    problem("unusual Huffman table assignment; RTP/JPEG uses tables 0 for Y and 1 for Cb/Cr"
                            + REENCODE);
                }
                if (tableOf[1] != tableOf[2]) {
                    problem("Cb and Cr use different quantization tables; RTP/JPEG carries one chroma table"
                            + REENCODE);
                }
            }
            if (width == 0 || height == 0) {
                problem("the height is defined later in the scan (DNL); RTP/JPEG needs it in the frame header"
                        + REENCODE);
            } else if (width > MAX_DIMENSION || height > MAX_DIMENSION) {
                problem(width + "x" + height + " is larger than the " + MAX_DIMENSION + "x" + MAX_DIMENSION
                        + " RTP/JPEG can describe; scale the picture down or use H.264");
            }
            ByteBuffer luma = table(tableOf[0]);
            ByteBuffer chroma = components > 1 ? table(tableOf[1]) : null;
            if (components == 3 && (luma == null || chroma == null)) {
                problem("16-bit quantization tables; RTP/JPEG carries 8-bit tables only" + REENCODE);
            }
            return new Jfif(width, height, type, restartInterval, luma, chroma, buf.slice(end, dataEnd - end),
                    problem);
        }

        private ByteBuffer table(int id) throws JpegException {
            if (tableAt[id] < 0) {
                throw new JpegException("JPEG image uses quantization table " + id + " but defines none");
            }
            return wideTable[id] ? null : buf.slice(tableAt[id], 64);
        }

        /** The position of the first marker after entropy-coded data starting at {@code pos}, or -1 if none. */
        private int endOfEntropyData(int pos) {
            int i = pos;
            while (i + 1 < limit) {
                if (i + 8 <= limit) {
                    // Eight bytes at a time while none is FF: FF is rare in entropy-coded data (stuffed as FF 00).
                    long inverted = ~buf.getLong(i);
                    if (((inverted - 0x0101_0101_0101_0101L) & ~inverted & 0x8080_8080_8080_8080L) == 0) {
                        i += 8;
                        continue;
                    }
                }
                if (buf.get(i) != (byte) 0xFF) {
                    i++;
                    continue;
                }
                int next = u8(i + 1);
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                    i += 2;
                } else if (next == 0xFF) {
                    i++;
                } else {
                    return i;
                }
            }
            return -1;
        }

        private void problem(String why) {
            if (problem == null) {
                problem = why;
            }
        }

        private void need(int required, int end, String segment) throws JpegException {
            if (required > end) {
                throw new JpegException("JPEG " + segment + " segment is shorter than its contents");
            }
        }

        private int u8(int index) {
            return buf.get(index) & 0xFF;
        }

        private int u16(int index) {
            return (u8(index) << 8) | u8(index + 1);
        }
    }
}
