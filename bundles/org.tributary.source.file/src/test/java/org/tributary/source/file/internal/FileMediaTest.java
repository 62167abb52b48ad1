package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;
import org.tributary.api.MediaInfo;

class FileMediaTest {

    private static final long PERIOD = 40_000_000L; // 25 fps

    @TempDir
    Path dir;

    private final List<byte[]> frames = TestFiles.ffmpegFrames();

    private Path rawFile() {
        return TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));
    }

    @Test
    void infoComesFromTheIndexAndNeverFromTheDiskBeforeIt() throws IOException {
        FileMedia media = new FileMedia(rawFile(), 25, false, true);
        assertEquals(MediaInfo.jpeg(0, 0, 25, Duration.ZERO), media.info());

        media.index();

        assertEquals(MediaInfo.jpeg(320, 240, 25, Duration.ofSeconds(2)), media.info());
    }

    @Test
    void readerDeliversEveryFrameInOrderAtItsPresentationTime() throws IOException {
        FileMedia media = new FileMedia(TestFiles.write(dir.resolve("movie.Mjpeg"), TestFiles.lengthPrefixed(frames)),
                25, false, true);
        try (FrameReader reader = media.open()) {
            for (int i = 0; i < frames.size(); i++) {
                Frame f = reader.next();
                assertEquals(Codec.JPEG, f.codec());
                assertEquals(i, f.index());
                assertEquals(i * PERIOD, f.timestampNanos());
                assertTrue(f.keyframe());
                assertArrayEquals(frames.get(i), bytes(f), "frame " + i);
            }
            assertNull(reader.next());
            assertNull(reader.next());
        }
    }

    @Test
    void loopingReaderStartsAgainAtFrameZeroWithTimestampsStillIncreasing() throws IOException {
        FileMedia media = new FileMedia(rawFile(), 25, true, true);
        try (FrameReader reader = media.open()) {
            for (int n = 0; n < 3 * frames.size() + 5; n++) {
                Frame f = reader.next();
                assertEquals(n % frames.size(), f.index());
                assertEquals(n * PERIOD, f.timestampNanos(), "timestamp of frame " + n);
                assertArrayEquals(frames.get(n % frames.size()), bytes(f));
            }
        }
        assertEquals(Duration.ofSeconds(2), media.info().duration());
    }

    @Test
    void seekMovesToTheLastFrameAtOrBeforeThePosition() throws IOException {
        FileMedia media = new FileMedia(rawFile(), 25, false, true);
        try (FrameReader reader = media.open()) {
            assertEquals(Duration.ofSeconds(1), reader.seek(Duration.ofMillis(1039)));
            assertEquals(25, reader.next().index());

            assertEquals(Duration.ofMillis(1040), reader.seek(Duration.ofMillis(1040)));
            assertEquals(26, reader.next().index());

            assertEquals(Duration.ofMillis(1960), reader.seek(Duration.ofHours(5)));
            assertEquals(49, reader.next().index());
            assertNull(reader.next());

            assertEquals(Duration.ZERO, reader.seek(Duration.ofSeconds(-3)));
            Frame first = reader.next();
            assertEquals(0, first.index());
            assertEquals(0, first.timestampNanos());
        }
    }

    @Test
    void seekInALoopingReaderRestartsTheTimeline() throws IOException {
        FileMedia media = new FileMedia(rawFile(), 25, true, true);
        try (FrameReader reader = media.open()) {
            for (int n = 0; n < 70; n++) {
                reader.next();
            }
            assertEquals(Duration.ofMillis(400), reader.seek(Duration.ofMillis(400)));
            Frame f = reader.next();
            assertEquals(10, f.index());
            assertEquals(10 * PERIOD, f.timestampNanos());
        }
    }

    @Test
    void damagedFileDeliversItsGoodFramesThenAnErrorSayingWhere() throws IOException {
        byte[] all = TestFiles.raw(frames);
        int at = (int) TestFiles.rawOffset(frames, 12);
        all[at] = 0;
        Path file = TestFiles.write(dir.resolve("broken.mjpeg"), all);
        FileMedia media = new FileMedia(file, 25, false, true);

        try (FrameReader reader = media.open()) {
            for (int i = 0; i < 12; i++) {
                assertEquals(i, reader.next().index());
            }
            IOException e = assertThrows(IOException.class, reader::next);
            assertTrue(e.getMessage().startsWith(file + ": frame 12 at byte " + at + ": "), e.getMessage());
            assertNull(reader.next());
        }
        assertEquals(Duration.ofMillis(480), media.info().duration());
    }

    @Test
    void loopingDamagedFileLoopsOverItsGoodFrames() throws IOException {
        byte[] all = TestFiles.raw(frames);
        Path file = TestFiles.write(dir.resolve("cut.mjpeg"),
                Arrays.copyOf(all, (int) TestFiles.rawOffset(frames, 10) + 100));
        FileMedia media = new FileMedia(file, 25, true, true);

        try (FrameReader reader = media.open()) {
            for (int n = 0; n < 25; n++) {
                Frame f = reader.next();
                assertEquals(n % 10, f.index());
                assertEquals(n * PERIOD, f.timestampNanos());
            }
        }
    }

    @Test
    void fileWithoutAGoodFrameFailsToOpenSayingWhy() {
        byte[] first = frames.get(0);
        Path file = TestFiles.write(dir.resolve("half.mjpeg"), Arrays.copyOf(first, first.length / 2));
        FileMedia media = new FileMedia(file, 25, true, true);

        IOException e = assertThrows(IOException.class, media::open);

        assertTrue(e.getMessage().startsWith(file + ": frame 0 at byte 0: the file ends inside this frame"), e.getMessage());
    }

    @Test
    void aMissingFileIsTheProblemUntilItAppears() throws Exception {
        Path file = dir.resolve("later.mjpeg");
        FileMedia media = new FileMedia(file, 25, false, true);
        assertEquals("", media.problem(), "nothing is known before the first read");

        assertThrows(IOException.class, media::index);
        assertEquals(file + ": cannot read: no such file", media.problem());
        Thread.sleep(1100);
        assertEquals(file + ": cannot read: no such file", media.problem(), "still missing");

        TestFiles.write(file, TestFiles.raw(frames));
        Thread.sleep(1100);
        assertEquals("", media.problem(), "the file is there: offered again");
        media.open().close();
        assertEquals("", media.problem());
        assertEquals(320, media.info().width());
    }

    @Test
    void aFileWithoutAGoodFrameIsTheProblemUntilItChanges() throws Exception {
        byte[] first = frames.get(0);
        Path file = TestFiles.write(dir.resolve("half.mjpeg"), Arrays.copyOf(first, first.length / 2));
        FileMedia media = new FileMedia(file, 25, true, true);

        IOException e = assertThrows(IOException.class, media::open);
        assertEquals(e.getMessage(), media.problem());
        Thread.sleep(1100);
        assertEquals(e.getMessage(), media.problem(), "unchanged, so still the problem");

        TestFiles.write(file, TestFiles.raw(frames));
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));
        Thread.sleep(1100);
        assertEquals("", media.problem());
        media.open().close();
        assertEquals("", media.problem());
    }

    @Test
    void indexIsKeptWhileTheFileIsUnchangedAndRebuiltWhenItChanges() throws IOException {
        Path file = rawFile();
        FileMedia media = new FileMedia(file, 25, false, true);
        FrameIndex first = media.index();
        media.open().close();
        assertSame(first, media.index());

        Files.write(file, TestFiles.raw(frames), StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5000));

        try (FrameReader reader = media.open()) {
            assertEquals(Duration.ofMillis(3960), reader.seek(Duration.ofSeconds(10)));
        }
        assertEquals(Duration.ofSeconds(4), media.info().duration());
    }

    @Test
    void readersHaveTheirOwnPlayheads() throws IOException {
        FileMedia media = new FileMedia(rawFile(), 25, false, true);
        try (FrameReader a = media.open(); FrameReader b = media.open()) {
            a.seek(Duration.ofSeconds(1));
            assertEquals(25, a.next().index());
            assertEquals(0, b.next().index());
            assertEquals(26, a.next().index());
            assertEquals(1, b.next().index());
        }
    }

    @Test
    void missingFileFailsToOpenNamingTheFile() {
        Path file = dir.resolve("nothing-here.mjpeg");
        FileMedia media = new FileMedia(file, 25, false, true);

        IOException e = assertThrows(IOException.class, media::open);

        assertEquals(file + ": cannot read: no such file", e.getMessage());
    }

    @Test
    void closingTheSourceClosesItsReadersAndLeavesNoFileOpen() throws IOException {
        FileMedia media = new FileMedia(rawFile(), 25, true, true);
        long before = TestFiles.openFileDescriptors();
        FrameReader a = media.open();
        FrameReader b = media.open();
        a.next();
        assertEquals(before + 2, TestFiles.openFileDescriptors());

        media.close();

        assertEquals(before, TestFiles.openFileDescriptors());
        assertEquals(0, media.openReaders());
        assertThrows(IOException.class, a::next);
        assertThrows(IOException.class, media::open);
        b.close();
    }

    @Test
    void symbolicLinkIsRefusedWhenLinksAreNotFollowed() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.mjpeg"), rawFile());

        assertEquals(50, new FileMedia(link, 25, false, true).index().count());
        IOException e = assertThrows(IOException.class, () -> new FileMedia(link, 25, false, false).open());
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    }

    private static byte[] bytes(Frame f) {
        ByteBuffer data = f.data();
        byte[] b = new byte[data.remaining()];
        data.get(b);
        return b;
    }

    @Test
    void aFileWhoseFramesRtpCannotCarryIsTheProblem() throws Exception {
        Path file = dir.resolve("full-chroma.mjpeg");
        Process p = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=64x48:rate=25", "-frames:v", "3", "-pix_fmt", "yuvj444p", "-c:v", "mjpeg", "-f", "mjpeg",
                file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, output);
        FileMedia media = new FileMedia(file, 25, true, true);

        media.index();

        assertTrue(media.problem().startsWith(file + ": frame 0 cannot be sent over RTP/JPEG: "), media.problem());
        assertTrue(media.problem().contains("4:2:0"), "says what to re-encode to: " + media.problem());
    }

    @Test
    void aFileRtpCanCarryHasNoProblem() throws Exception {
        Path file = TestFiles.write(dir.resolve("fine.mjpeg"), TestFiles.raw(frames));
        FileMedia media = new FileMedia(file, 25, true, true);
        media.index();
        assertEquals("", media.problem());
    }
}
