package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameIndexTest {

    @TempDir
    Path dir;

    private final List<byte[]> frames = TestFiles.ffmpegFrames();

    @Test
    void rawJpegFromFfmpegIsSplitIntoItsImages() throws IOException {
        Path file = TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));

        FrameIndex index = FrameIndex.build(file);

        assertEquals(MjpegFormat.RAW_JPEG, index.format());
        assertEquals(frames.size(), index.count());
        assertEquals(new JpegSize(320, 240), index.size());
        assertTrue(index.damage().isEmpty());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(TestFiles.rawOffset(frames, i), index.offset(i), "offset of frame " + i);
            assertEquals(frames.get(i).length, index.length(i), "length of frame " + i);
        }
    }

    @Test
    void endOfImageBytesInsideASegmentDoNotEndTheFrame() throws IOException {
        // A comment segment holding FF D9 and FF D8 right after SOI: a search for byte pairs splits here.
        byte[] comment = { (byte) 0xFF, (byte) 0xFE, 0, 8, (byte) 0xFF, (byte) 0xD9, (byte) 0xFF, (byte) 0xD8, 0, 0 };
        List<byte[]> tricky = new ArrayList<>();
        for (byte[] f : frames) {
            byte[] t = new byte[f.length + comment.length];
            System.arraycopy(f, 0, t, 0, 2);
            System.arraycopy(comment, 0, t, 2, comment.length);
            System.arraycopy(f, 2, t, 2 + comment.length, f.length - 2);
            tricky.add(t);
        }
        Path file = TestFiles.write(dir.resolve("tricky.mjpeg"), TestFiles.raw(tricky));

        FrameIndex index = FrameIndex.build(file);

        assertEquals(tricky.size(), index.count());
        for (int i = 0; i < tricky.size(); i++) {
            assertEquals(tricky.get(i).length, index.length(i), "length of frame " + i);
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(read(file, index, 7)));
        assertEquals(320, decoded.getWidth());
    }

    @Test
    void labFormatFramesStartAfterTheirLengthHeader() throws IOException {
        Path file = TestFiles.write(dir.resolve("movie.Mjpeg"), TestFiles.lengthPrefixed(frames));

        FrameIndex index = FrameIndex.build(file);

        assertEquals(MjpegFormat.LENGTH_PREFIXED, index.format());
        assertEquals(frames.size(), index.count());
        assertEquals(new JpegSize(320, 240), index.size());
        for (int i = 0; i < frames.size(); i++) {
            assertArrayEquals(frames.get(i), read(file, index, i), "frame " + i);
        }
    }

    @Test
    void paddingAfterTheImageInsideTheDeclaredLengthIsNotPartOfTheFrame() throws IOException {
        byte[] f = frames.get(0);
        byte[] header = String.format("%05d", f.length + 3).getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("padded.Mjpeg");
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 3; i++) {
                out.write(header);
                out.write(f);
                out.write(new byte[3]);
            }
        }

        FrameIndex index = FrameIndex.build(file);

        assertEquals(3, index.count());
        assertEquals(f.length, index.length(2));
        assertEquals(2L * (5 + f.length + 3) + 5, index.offset(2));
    }

    @Test
    void truncatedRawFileIsIndexedUpToTheLastWholeFrame() throws IOException {
        byte[] all = TestFiles.raw(frames);
        long cut = TestFiles.rawOffset(frames, 30) + frames.get(30).length / 2;
        Path file = TestFiles.write(dir.resolve("cut.mjpeg"), Arrays.copyOf(all, (int) cut));

        FrameIndex index = FrameIndex.build(file);

        assertEquals(30, index.count());
        FrameIndex.Damage damage = index.damage().orElseThrow();
        assertEquals(30, damage.frame());
        assertEquals(TestFiles.rawOffset(frames, 30), damage.offset());
        assertTrue(damage.problem().contains("ends inside"), damage.problem());
    }

    @Test
    void garbageInTheMiddleOfARawFileEndsTheIndexThere() throws IOException {
        byte[] all = TestFiles.raw(frames);
        int at = (int) TestFiles.rawOffset(frames, 20);
        all[at] = 0x12;
        all[at + 1] = 0x34;
        Path file = TestFiles.write(dir.resolve("broken.mjpeg"), all);

        FrameIndex index = FrameIndex.build(file);

        assertEquals(20, index.count());
        String message = index.damage().orElseThrow().message(file.toString());
        assertTrue(message.startsWith(file + ": frame 20 at byte " + at + ": "), message);
    }

    @Test
    void badLengthHeaderEndsTheIndexThereAndTheMessageSaysWhere() throws IOException {
        byte[] all = TestFiles.lengthPrefixed(frames);
        long at = 0;
        for (int i = 0; i < 7; i++) {
            at += 5 + frames.get(i).length;
        }
        all[(int) at + 2] = 'x';
        Path file = TestFiles.write(dir.resolve("movie.Mjpeg"), all);

        FrameIndex index = FrameIndex.build(file);

        assertEquals(7, index.count());
        String message = index.damage().orElseThrow().message(file.toString());
        assertTrue(message.startsWith(file + ": frame 7 at byte " + at + ": bad length header"), message);
    }

    @Test
    void lengthHeaderPastTheEndOfTheFileIsDamage() throws IOException {
        byte[] all = TestFiles.lengthPrefixed(frames.subList(0, 3));
        Path file = TestFiles.write(dir.resolve("short.Mjpeg"), Arrays.copyOf(all, all.length - 10));

        FrameIndex index = FrameIndex.build(file);

        assertEquals(2, index.count());
        assertTrue(index.damage().orElseThrow().problem().contains("only"), index.damage().get().problem());
    }

    @Test
    void fileOfAnotherKindIsRefusedWithItsNameAndFirstBytes() {
        Path file = TestFiles.write(dir.resolve("notes.txt"), "hello, world".getBytes(StandardCharsets.US_ASCII));

        IOException e = assertThrows(IOException.class, () -> FrameIndex.build(file));

        assertTrue(e.getMessage().startsWith(file + ": not an MJPEG file: starts with 68 65 6C"), e.getMessage());
    }

    @Test
    void emptyFileIsRefused() {
        Path file = TestFiles.write(dir.resolve("empty.mjpeg"), new byte[0]);

        IOException e = assertThrows(IOException.class, () -> FrameIndex.build(file));

        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void lengthHeaderMayBePaddedWithSpaces() {
        ByteBuffer head = ByteBuffer.wrap(new byte[] { ' ', ' ', '1', '2', '3', (byte) 0xFF, (byte) 0xD8 });

        assertEquals(MjpegFormat.LENGTH_PREFIXED, MjpegFormat.detect(head).orElseThrow());
        assertEquals(123, MjpegFormat.parseLength(head, 0));
    }

    @Test
    void largeFilesAreIndexedWithABoundedWindow() throws IOException {
        int copies = 200;
        Path raw = dir.resolve("large.mjpeg");
        Path lab = dir.resolve("large.Mjpeg");
        byte[] rawBlock = TestFiles.raw(frames);
        byte[] labBlock = TestFiles.lengthPrefixed(frames);
        try (OutputStream r = Files.newOutputStream(raw); OutputStream l = Files.newOutputStream(lab)) {
            for (int i = 0; i < copies; i++) {
                r.write(rawBlock);
                l.write(labBlock);
            }
        }
        int expected = copies * frames.size();

        FrameIndex.build(raw); // warm-up, so the figure is the steady cost rather than class loading
        long t0 = System.nanoTime();
        FrameIndex rawIndex = FrameIndex.build(raw);
        long t1 = System.nanoTime();
        FrameIndex labIndex = FrameIndex.build(lab);
        long t2 = System.nanoTime();

        assertEquals(expected, rawIndex.count());
        assertEquals(expected, labIndex.count());
        assertEquals(Files.size(raw) - frames.get(frames.size() - 1).length, rawIndex.offset(expected - 1));
        System.out.printf("index build: %d frames, raw %d MB in %d ms, lab %d MB in %d ms%n", expected,
                Files.size(raw) >> 20, (t1 - t0) / 1_000_000, Files.size(lab) >> 20, (t2 - t1) / 1_000_000);
    }

    static byte[] read(Path file, FrameIndex index, int i) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(index.length(i));
            int n = 0;
            while (buf.hasRemaining() && n >= 0) {
                n = ch.read(buf, index.offset(i) + buf.position());
            }
            return buf.array();
        }
    }
}
