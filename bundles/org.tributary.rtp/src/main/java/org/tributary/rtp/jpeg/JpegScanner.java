package org.tributary.rtp.jpeg;

import java.nio.ByteBuffer;

/**
 * Finds where a JPEG image ends by walking its segment structure (RFC 2435 / ITU T.81 Annex B): marker
 * segments are skipped by their length, and entropy-coded data after SOS is walked to the next marker that
 * is neither stuffing ({@code FF 00}) nor a restart marker. Byte pairs such as {@code FF D9} inside a
 * segment's body are therefore never taken for the end of the image.
 *
 * <p>Stateless and thread-safe; never moves the buffer's position.
 */
public final class JpegScanner {

    private static final int SOI = 0xD8;
    private static final int EOI = 0xD9;
    private static final int SOS = 0xDA;
    private static final int TEM = 0x01;

    private JpegScanner() {
    }

    /**
     * The length of the JPEG image (SOI up to and including EOI) that starts at {@code offset}.
     *
     * @return the length in bytes, or -1 if the buffer ends before the image does
     * @throws JpegException if the bytes at {@code offset} are not a well-formed JPEG image
     */
    public static int imageLength(ByteBuffer buf, int offset) throws JpegException {
        int limit = buf.limit();
        if (offset + 2 > limit) {
            return -1;
        }
        if (u8(buf, offset) != 0xFF || u8(buf, offset + 1) != SOI) {
            throw new JpegException(String.format("no JPEG start (FF D8) at byte %d but %02X %02X", offset,
                    u8(buf, offset), u8(buf, offset + 1)));
        }
        int pos = offset + 2;
        while (true) {
            if (pos + 2 > limit) {
                return -1;
            }
            if (u8(buf, pos) != 0xFF) {
                throw new JpegException(String.format("expected a marker at byte %d, found %02X", pos, u8(buf, pos)));
            }
            int marker = u8(buf, pos + 1);
            if (marker == 0xFF) {
                pos++; // fill byte before a marker
                continue;
            }
            pos += 2;
            if (marker == EOI) {
                return pos - offset;
            }
            if (marker == SOI || marker == 0x00) {
                throw new JpegException(String.format("unexpected marker %02X at byte %d", marker, pos - 2));
            }
            if (marker == TEM || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers have no length
            }
            if (pos + 2 > limit) {
                return -1;
            }
            int length = (u8(buf, pos) << 8) | u8(buf, pos + 1);
            if (length < 2) {
                throw new JpegException(String.format("segment %02X at byte %d has length %d", marker, pos - 2, length));
            }
            pos += length;
            if (marker == SOS) {
                pos = endOfEntropyData(buf, pos, limit);
                if (pos < 0) {
                    return -1;
                }
            }
        }
    }

    /** The position of the first marker after entropy-coded data starting at {@code pos}, or -1 if none. */
    private static int endOfEntropyData(ByteBuffer buf, int pos, int limit) {
        for (int i = pos; i + 1 < limit; i++) {
            if (buf.get(i) == (byte) 0xFF) {
                int next = u8(buf, i + 1);
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                    i++;
                }
            }
        }
        return -1;
    }

    private static int u8(ByteBuffer buf, int index) {
        return buf.get(index) & 0xFF;
    }
}
