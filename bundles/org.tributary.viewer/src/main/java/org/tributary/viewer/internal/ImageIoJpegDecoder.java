package org.tributary.viewer.internal;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/** JPEG through the JDK's own ImageIO reader, kept for the decoder's life so its tables are set up once. */
public final class ImageIoJpegDecoder implements FrameDecoder {

    private final ImageReader reader;

    public ImageIoJpegDecoder() {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
        if (!readers.hasNext()) {
            throw new IllegalStateException("this JDK has no ImageIO JPEG reader");
        }
        reader = readers.next();
    }

    @Override
    public BufferedImage decode(ByteBuffer frame) throws IOException {
        byte[] bytes = new byte[frame.remaining()];
        frame.get(frame.position(), bytes);
        // A memory cache, not ImageIO.createImageInputStream: that one may spill to a temporary file per frame.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            return reader.read(0);
        } catch (RuntimeException e) {
            // The JDK's reader throws unchecked exceptions on some damaged streams.
            throw new IOException("not a decodable JPEG (" + bytes.length + " bytes): " + e, e);
        } finally {
            reader.setInput(null);
        }
    }

    @Override
    public String name() {
        return "ImageIO";
    }

    @Override
    public void close() {
        reader.dispose();
    }
}
