package org.tributary.source.file.internal;

import java.nio.ByteBuffer;

/**
 * The picture size of a JPEG image, read from its start-of-frame segment.
 *
 * @param width pixels across
 * @param height pixels down
 */
record JpegSize(int width, int height) {

    /** Returned when the image has no start-of-frame segment before its scan. */
    static final JpegSize UNKNOWN = new JpegSize(0, 0);

    /** Reads the first SOFn segment of the image that fills {@code image} (position to limit). */
    static JpegSize of(ByteBuffer image) {
        int p = image.position() + 2;
        int limit = image.limit();
        while (p + 4 <= limit) {
            if (u8(image, p) != 0xFF) {
                return UNKNOWN;
            }
            int marker = u8(image, p + 1);
            if (marker == 0xFF) {
                p++;
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                p += 2;
                continue;
            }
            if (marker == 0xDA || marker == 0xD9) {
                return UNKNOWN;
            }
            if (isStartOfFrame(marker)) {
                if (p + 9 > limit) {
                    return UNKNOWN;
                }
                return new JpegSize(u16(image, p + 7), u16(image, p + 5));
            }
            p += 2 + u16(image, p + 2);
        }
        return UNKNOWN;
    }

    /** SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
    private static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xFF;
    }

    private static int u16(ByteBuffer b, int i) {
        return (u8(b, i) << 8) | u8(b, i + 1);
    }
}
