package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryMountsTest {

    @TempDir
    Path root;

    private final List<byte[]> frames = TestFiles.ffmpegFrames();
    private final MapMounter mounter = new MapMounter();

    private Path media() throws IOException {
        return Files.createDirectories(root.resolve("media"));
    }

    @Test
    void everyPlayableFileIsMountedByItsNameAndNothingElse() throws IOException {
        Path dir = media();
        TestFiles.write(dir.resolve("movie.Mjpeg"), TestFiles.lengthPrefixed(frames));
        TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));
        TestFiles.write(dir.resolve("notes.txt"), "not video".getBytes(StandardCharsets.US_ASCII));
        TestFiles.write(dir.resolve("empty.mjpeg"), new byte[0]);
        TestFiles.write(dir.resolve(".hidden.mjpeg"), TestFiles.raw(frames));
        TestFiles.write(Files.createDirectory(dir.resolve("sub")).resolve("inner.mjpeg"), TestFiles.raw(frames));

        try (DirectoryMounts mounts = new DirectoryMounts(dir, "", 25, false, mounter)) {
            mounts.scan();

            assertEquals(Set.of("movie.Mjpeg", "clip.mjpeg"), mounter.mounted.keySet());
            assertEquals(Duration.ofSeconds(2), mounter.mounted.get("movie.Mjpeg").info().duration());
            assertEquals(320, mounter.mounted.get("clip.mjpeg").info().width());
        }
        assertTrue(mounter.mounted.isEmpty(), "close unmounts everything");
    }

    @Test
    void prefixPutsEveryStreamUnderIt() throws IOException {
        Path dir = media();
        TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));

        try (DirectoryMounts mounts = new DirectoryMounts(dir, "/clips/", 25, false, mounter)) {
            mounts.scan();

            assertEquals(Set.of("clips/clip.mjpeg"), mounter.mounted.keySet());
        }
    }

    @Test
    void prefixThatCouldLeadElsewhereIsRefused() throws IOException {
        Path dir = media();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DirectoryMounts(dir, "clips/../..", 25, false, mounter));
        assertTrue(e.getMessage().contains("clips/../.."), e.getMessage());
    }

    @Test
    void scanFollowsFilesComingChangingAndGoing() throws IOException {
        Path dir = media();
        try (DirectoryMounts mounts = new DirectoryMounts(dir, "", 25, true, mounter)) {
            mounts.scan();
            assertTrue(mounter.mounted.isEmpty());

            Path clip = TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));
            mounts.scan();
            FileMedia media = mounter.mounted.get("clip.mjpeg");
            assertTrue(media.loop());
            assertEquals(Duration.ofSeconds(2), media.info().duration());

            Files.write(clip, TestFiles.raw(frames), StandardOpenOption.APPEND);
            touch(clip);
            mounts.scan();
            assertEquals(Duration.ofSeconds(4), mounter.mounted.get("clip.mjpeg").info().duration());

            Files.writeString(clip, "now it is text");
            touch(clip);
            mounts.scan();
            assertFalse(mounter.mounted.containsKey("clip.mjpeg"), "no longer playable");

            Path other = TestFiles.write(dir.resolve("other.mjpeg"), TestFiles.raw(frames));
            mounts.scan();
            FileMedia otherMedia = mounter.mounted.get("other.mjpeg");
            Files.delete(other);
            mounts.scan();
            assertTrue(mounter.mounted.isEmpty());
            assertThrows(IOException.class, otherMedia::open, "an unmounted file's source is closed");
        }
    }

    @Test
    void symbolicLinkLeadingOutOfTheDirectoryIsNeverMounted() throws IOException {
        Path dir = media();
        Path outside = TestFiles.write(root.resolve("secret.mjpeg"), TestFiles.raw(frames));
        Files.createSymbolicLink(dir.resolve("escape.mjpeg"), outside);
        Path inside = TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));
        Files.createSymbolicLink(dir.resolve("alias.mjpeg"), inside);

        try (DirectoryMounts mounts = new DirectoryMounts(dir, "", 25, false, mounter)) {
            mounts.scan();

            assertEquals(Set.of("clip.mjpeg", "alias.mjpeg"), mounter.mounted.keySet());
            assertEquals(inside.toRealPath(), mounter.mounted.get("alias.mjpeg").file());
        }
    }

    @Test
    void fileNamesThatCouldMeanAnotherPlaceAreNotMounted() throws IOException {
        Path dir = media();
        TestFiles.write(dir.resolve("two..dots.mjpeg"), TestFiles.raw(frames));
        TestFiles.write(dir.resolve("back\\slash.mjpeg"), TestFiles.raw(frames));
        TestFiles.write(dir.resolve("line\nbreak.mjpeg"), TestFiles.raw(frames));
        TestFiles.write(dir.resolve("fine name.mjpeg"), TestFiles.raw(frames));

        try (DirectoryMounts mounts = new DirectoryMounts(dir, "", 25, false, mounter)) {
            mounts.scan();

            assertEquals(Set.of("fine name.mjpeg"), mounter.mounted.keySet());
        }
    }

    @Test
    void missingDirectoryMountsNothingUntilItAppears() throws IOException {
        Path dir = root.resolve("later");
        try (DirectoryMounts mounts = new DirectoryMounts(dir, "", 25, false, mounter)) {
            mounts.scan();
            assertTrue(mounter.mounted.isEmpty());

            Files.createDirectory(dir);
            TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(frames));
            mounts.scan();

            assertEquals(Set.of("clip.mjpeg"), mounter.mounted.keySet());
        }
    }

    @Test
    void streamNameRules() {
        assertTrue(StreamNames.isSafeFileName("movie.Mjpeg"));
        assertTrue(StreamNames.isSafeFileName("my clip (1).mjpeg"));
        assertFalse(StreamNames.isSafeFileName(".."));
        assertFalse(StreamNames.isSafeFileName("a/b"));
        assertFalse(StreamNames.isSafeFileName("a\u0000b"));
        assertEquals("cams/front", StreamNames.checkPath("name", "/cams/front/"));
        assertEquals("", StreamNames.checkPath("prefix", ""));
        assertThrows(IllegalArgumentException.class, () -> StreamNames.checkPath("name", "cams//front"));
        assertThrows(IllegalArgumentException.class, () -> StreamNames.checkPath("name", "../etc"));
    }

    private static void touch(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 3000));
    }
}
