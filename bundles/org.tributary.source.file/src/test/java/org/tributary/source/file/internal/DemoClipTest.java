package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoClipTest {

    @TempDir
    Path dir;

    @Test
    void standardClipIsTenSecondsOfBaseline420JpegThatTheLabClientReceivesWhole() throws IOException {
        Path file = dir.resolve(DemoClip.FILE_NAME);
        long t0 = System.nanoTime();
        try (OutputStream out = Files.newOutputStream(file)) {
            new DemoClip().writeLengthPrefixed(out);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;

        FrameIndex index = FrameIndex.build(file);

        assertEquals(MjpegFormat.LENGTH_PREFIXED, index.format());
        assertEquals(250, index.count());
        assertTrue(index.damage().isEmpty());
        assertEquals(new JpegSize(320, 240), index.size());
        int max = 0;
        for (int i = 0; i < index.count(); i++) {
            byte[] jpeg = FrameIndexTest.read(file, index, i);
            max = Math.max(max, jpeg.length);
            assertBaseline420(jpeg, i);
        }
        assertTrue(max <= DemoClip.MAX_FRAME_BYTES, "largest frame " + max + " bytes");
        System.out.printf("demo clip: 250 frames written in %d ms, largest frame %d bytes, file %d bytes%n", millis, max,
                Files.size(file));
    }

    @Test
    void framesMoveAndTheCounterChanges() throws IOException {
        DemoClip clip = new DemoClip();
        BufferedImage f1 = decode(clip.frame(1));
        BufferedImage f2 = decode(clip.frame(2));
        BufferedImage f100 = decode(clip.frame(100));

        // The frame counter's last digit sits in the text band below the picture's middle.
        assertTrue(differingPixels(f1, f2, 0, 160, 320, 190) > 20, "counter changes from frame 1 to 2");
        assertTrue(differingPixels(f1, f100, 0, 80, 320, 160) > 100, "ball moves between frames 1 and 100");
        assertTrue(differingPixels(f1, f100, 0, 0, 320, 80) > 100, "sweep bar moves across the colour bars");
    }

    @Test
    void writeIfAbsentNeverOverwritesAnExistingFile() throws IOException {
        Path existing = Files.writeString(dir.resolve(DemoClip.FILE_NAME), "mine");
        DemoClip small = new DemoClip(160, 120, 25, 3);

        assertFalse(small.writeIfAbsent(existing));
        assertEquals("mine", Files.readString(existing));

        Path fresh = dir.resolve("fresh.Mjpeg");
        assertTrue(small.writeIfAbsent(fresh));
        assertEquals(3, FrameIndex.build(fresh).count());
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void rawJpegVariantHoldsTheSameFrames() throws IOException {
        DemoClip clip = new DemoClip(160, 120, 10, 4);
        Path file = dir.resolve("demo.mjpeg");
        try (OutputStream out = Files.newOutputStream(file)) {
            clip.writeRawJpeg(out);
        }

        FrameIndex index = FrameIndex.build(file);

        assertEquals(MjpegFormat.RAW_JPEG, index.format());
        assertEquals(4, index.count());
        assertArrayEquals(clip.frame(3), FrameIndexTest.read(file, index, 3));
    }

    /** SOF0 (baseline), 3 components, luma sampled 2x2 and chroma 1x1 (4:2:0), no restart markers. */
    private static void assertBaseline420(byte[] jpeg, int frame) {
        int p = 2;
        boolean sof0 = false;
        while (p + 4 <= jpeg.length) {
            int marker = jpeg[p + 1] & 0xFF;
            int length = ((jpeg[p + 2] & 0xFF) << 8) | (jpeg[p + 3] & 0xFF);
            if (marker == 0xDA) {
                break;
            }
            assertFalse(marker >= 0xC1 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC,
                    "frame " + frame + ": not baseline, SOF " + Integer.toHexString(marker));
            assertFalse(marker == 0xDD, "frame " + frame + ": has DRI");
            if (marker == 0xC0) {
                sof0 = true;
                assertEquals(3, jpeg[p + 9], "frame " + frame + ": components");
                assertEquals(0x22, jpeg[p + 11] & 0xFF, "frame " + frame + ": luma sampling");
                assertEquals(0x11, jpeg[p + 14] & 0xFF, "frame " + frame + ": Cb sampling");
                assertEquals(0x11, jpeg[p + 17] & 0xFF, "frame " + frame + ": Cr sampling");
            }
            p += 2 + length;
        }
        assertTrue(sof0, "frame " + frame + ": no SOF0");
    }

    private static BufferedImage decode(byte[] jpeg) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(jpeg));
    }

    private static int differingPixels(BufferedImage a, BufferedImage b, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int pa = a.getRGB(x, y);
                int pb = b.getRGB(x, y);
                int d = Math.abs((pa >> 16 & 0xFF) - (pb >> 16 & 0xFF)) + Math.abs((pa >> 8 & 0xFF) - (pb >> 8 & 0xFF))
                        + Math.abs((pa & 0xFF) - (pb & 0xFF));
                if (d > 60) {
                    n++;
                }
            }
        }
        return n;
    }
}
