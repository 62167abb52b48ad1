package org.tributary.viewer.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Turns the frames of one codec into pictures. Used by one thread at a time; not thread-safe.
 */
public interface FrameDecoder extends AutoCloseable {

    /**
     * Decodes one frame.
     *
     * @param frame a whole frame (a JFIF image, or an H.264 access unit in Annex B form); read, not kept
     * @return a new picture the caller owns, or {@code null} when the decoder has none yet (H.264 before the
     *         first IDR)
     * @throws IOException if the frame cannot be decoded; the decoder stays usable for the next one
     */
    BufferedImage decode(ByteBuffer frame) throws IOException;

    /** For the status line, e.g. {@code ImageIO}. */
    String name();

    /** Whether the next {@link #decode} can work; a decoder that failed for good says no and is replaced. */
    default boolean usable() {
        return true;
    }

    /** Frees what the decoder holds; idempotent. */
    @Override
    void close();
}
