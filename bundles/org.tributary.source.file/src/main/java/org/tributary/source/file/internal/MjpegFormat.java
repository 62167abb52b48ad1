package org.tributary.source.file.internal;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The two MJPEG file layouts the file source plays, told apart by the first bytes of the file (never by
 * its name).
 */
enum MjpegFormat {

    /** JPEG images back to back (what {@code ffmpeg -f mjpeg} writes); frames found by walking segments. */
    RAW_JPEG("raw concatenated JPEG"),

    /** Each JPEG image preceded by its length as 5 ASCII digits, the layout of the classic {@code movie.Mjpeg}. */
    LENGTH_PREFIXED("5-digit length-prefixed JPEG");

    /** Bytes of a length header in the {@link #LENGTH_PREFIXED} layout. */
    static final int LENGTH_DIGITS = 5;

    /** How many leading bytes {@link #detect(ByteBuffer)} needs to decide. */
    static final int HEAD_BYTES = LENGTH_DIGITS + 2;

    private final String description;

    MjpegFormat(String description) {
        this.description = description;
    }

    /** A phrase for messages, e.g. "raw concatenated JPEG". */
    String description() {
        return description;
    }

    /**
     * The layout of a file that starts with {@code head} (from position to limit), or empty if it is
     * neither: a JPEG start marker (FF D8), or a length header followed by one.
     */
    static Optional<MjpegFormat> detect(ByteBuffer head) {
        int p = head.position();
        int n = head.remaining();
        if (n >= 2 && isSoi(head, p)) {
            return Optional.of(RAW_JPEG);
        }
        if (n >= HEAD_BYTES && parseLength(head, p) > 0 && isSoi(head, p + LENGTH_DIGITS)) {
            return Optional.of(LENGTH_PREFIXED);
        }
        return Optional.empty();
    }

    /**
     * The frame length in the 5-byte header at {@code index}, or -1 if it is not a number. Leading spaces
     * are accepted because some lab encoders pad with spaces instead of zeros.
     */
    static int parseLength(ByteBuffer buf, int index) {
        int value = 0;
        boolean digits = false;
        for (int i = 0; i < LENGTH_DIGITS; i++) {
            int c = buf.get(index + i);
            if (c == ' ' && !digits) {
                continue;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            digits = true;
            value = value * 10 + (c - '0');
        }
        return digits ? value : -1;
    }

    private static boolean isSoi(ByteBuffer buf, int index) {
        return buf.get(index) == (byte) 0xFF && buf.get(index + 1) == (byte) 0xD8;
    }
}
