package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * Decode time per JPEG frame, ImageIO against GStreamer's jpegdec, at 640x480 and 1920x1080 with camera-like
 * detail (about 75 KB and 450 KB per frame). Prints the medians; fails if ImageIO (the viewer's default) cannot
 * keep up with 1080p30 here, or if the two decoders disagree about the picture.
 */
class JpegDecodeTimeTest {

    private static final int FRAMES = 60;
    private static final int WARM_UP = 20;

    @Test
    void imageIoKeepsUpWith1080p30AndBothDecodersShowTheSamePicture() throws Exception {
        List<Path> vga = TestMedia.jpegs(640, 480, FRAMES);
        List<Path> full = TestMedia.jpegs(1920, 1080, FRAMES);
        double imageIoVga = median(vga, 640, 480, ImageIoJpegDecoder::new);
        double imageIoFull = median(full, 1920, 1080, ImageIoJpegDecoder::new);
        double gstVga = median(vga, 640, 480, GstDecoder::jpeg);
        double gstFull = median(full, 1920, 1080, GstDecoder::jpeg);
        System.out.println(String.format(Locale.ROOT, "JPEG decode, median ms/frame of %d: ImageIO 640x480 %.2f, "
                + "1920x1080 %.2f; GStreamer jpegdec 640x480 %.2f, 1920x1080 %.2f", FRAMES - WARM_UP, imageIoVga,
                imageIoFull, gstVga, gstFull));

        ByteBuffer frame = ByteBuffer.wrap(Files.readAllBytes(full.get(0)));
        BufferedImage a;
        BufferedImage b;
        try (FrameDecoder imageIo = new ImageIoJpegDecoder(); FrameDecoder gst = GstDecoder.jpeg()) {
            a = imageIo.decode(frame);
            b = gst.decode(frame);
        }
        assertTrue(meanDifference(a, b) < 3, "ImageIO and jpegdec differ by " + meanDifference(a, b) + " per channel");
        // Two cores shared with the build: a busy moment is measured again before it counts as slow.
        for (int again = 0; again < 2 && imageIoFull >= 33.3; again++) {
            imageIoFull = Math.min(imageIoFull, median(full, 1920, 1080, ImageIoJpegDecoder::new));
        }
        assertTrue(imageIoFull < 33.3, "ImageIO needs " + imageIoFull + " ms for a 1080p frame: too slow for 30 fps");
    }

    private static double median(List<Path> files, int width, int height, Supplier<FrameDecoder> make)
            throws Exception {
        List<ByteBuffer> frames = new ArrayList<>();
        for (Path f : files) {
            frames.add(ByteBuffer.wrap(Files.readAllBytes(f)));
        }
        long[] times = new long[frames.size() - WARM_UP];
        try (FrameDecoder decoder = make.get()) {
            for (int i = 0; i < frames.size(); i++) {
                long start = System.nanoTime();
                BufferedImage picture = decoder.decode(frames.get(i));
                long took = System.nanoTime() - start;
                assertNotNull(picture, decoder.name() + " gave no picture for frame " + i);
                assertEquals(width, picture.getWidth(), decoder.name());
                assertEquals(height, picture.getHeight(), decoder.name());
                if (i >= WARM_UP) {
                    times[i - WARM_UP] = took;
                }
            }
        }
        Arrays.sort(times);
        return times[times.length / 2] / 1e6;
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
