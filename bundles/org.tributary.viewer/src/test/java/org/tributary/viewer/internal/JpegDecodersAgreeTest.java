package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * ImageIO (the viewer's default) and GStreamer's jpegdec decode camera-like JPEG frames (640x480 and 1920x1080,
 * about 75 KB and 450 KB) to pictures of the right size that agree with each other. How long each takes is
 * measured by tools/benchmarks' JpegDecodeBenchmark.
 */
class JpegDecodersAgreeTest {

    @Test
    void bothDecodersDecodeEveryFrameAndShowTheSamePicture() throws Exception {
        for (int[] size : new int[][] {{640, 480}, {1920, 1080}}) {
            List<Path> files = TestMedia.jpegs(size[0], size[1], 5);
            for (Path file : files) {
                ByteBuffer frame = ByteBuffer.wrap(Files.readAllBytes(file));
                BufferedImage a;
                BufferedImage b;
                try (FrameDecoder imageIo = new ImageIoJpegDecoder(); FrameDecoder gst = GstDecoder.jpeg()) {
                    a = imageIo.decode(frame.duplicate());
                    b = decodeWithGst(gst, frame);
                }
                for (BufferedImage picture : new BufferedImage[] {a, b}) {
                    assertNotNull(picture, file + " gave no picture");
                    assertEquals(size[0], picture.getWidth(), file.toString());
                    assertEquals(size[1], picture.getHeight(), file.toString());
                }
                assertTrue(meanDifference(a, b) < 3, file + ": ImageIO and jpegdec differ by " + meanDifference(a, b)
                        + " per channel");
            }
        }
    }

    /**
     * jpegdec's picture of {@code frame}. When decoding takes longer than the decoder waits (a busy machine),
     * it hands the picture back with a later push: the same frame is pushed again until a picture comes.
     */
    private static BufferedImage decodeWithGst(FrameDecoder gst, ByteBuffer frame) throws Exception {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        BufferedImage picture = gst.decode(frame.duplicate());
        while (picture == null && System.nanoTime() < deadline) {
            picture = gst.decode(frame.duplicate());
        }
        return picture;
    }

    /** The mean absolute difference of R, G and B over every 7th pixel. */
    static double meanDifference(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y += 7) {
            for (int x = 0; x < a.getWidth(); x += 7) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF));
                    n++;
                }
            }
        }
        return sum / (double) n;
    }
}
