package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;

class MediaLibraryTest {

    @TempDir
    Path root;

    private final MapMounter mounter = new MapMounter();

    @Test
    void freshStartWritesTheDemoClipAndServesItAsDemoAndByFileName() throws IOException {
        Path dir = root.resolve("media");
        long t0 = System.nanoTime();
        MediaLibrary library = new MediaLibrary(dir, true, mounter);
        long constructMillis = (System.nanoTime() - t0) / 1_000_000;
        try {
            assertTrue(Files.isDirectory(dir), "directory created at once");
            await(() -> mounter.mounted.keySet().equals(Set.of("demo", "movie.Mjpeg")));
            // Activation is not held up by the clip: it is written and mounted on the library's own thread.
            assertEquals(MediaLibrary.THREAD_NAME, mounter.threads.get("demo"));
            System.out.printf("media library: constructor %d ms, demo clip written in %d ms off that thread%n",
                    constructMillis, library.demoWriteMillis());

            FileMedia demo = mounter.mounted.get("demo");
            assertTrue(demo.loop());
            assertFalse(mounter.mounted.get("movie.Mjpeg").loop());
            assertEquals(Duration.ofSeconds(10), demo.info().duration());
            try (FrameReader reader = demo.open()) {
                reader.seek(Duration.ofMillis(9960));
                assertEquals(249, reader.next().index());
                Frame wrapped = reader.next();
                assertEquals(0, wrapped.index());
                assertEquals(10_000_000_000L, wrapped.timestampNanos());
            }
        } finally {
            library.close();
        }
        assertTrue(mounter.mounted.isEmpty(), "everything unmounted");
        assertFalse(TestFiles.threadAlive(MediaLibrary.THREAD_NAME), "thread stopped");
    }

    @Test
    void aDemoClipThatCannotBeMadeLeavesTheDemoStreamFailedWithTheReason() throws IOException {
        Path dir = Files.createDirectories(root.resolve("media"));
        // A directory where the clip should be: the clip cannot be written.
        Files.createDirectories(dir.resolve(DemoClip.FILE_NAME));

        try (MediaLibrary library = new MediaLibrary(dir, true, mounter)) {
            await(() -> mounter.mounted.containsKey("demo"));
            String problem = mounter.mounted.get("demo").problem();
            assertTrue(problem.contains(DemoClip.FILE_NAME) && problem.contains("not a regular file"),
                    "the reason names the clip: " + problem);
            assertFalse(mounter.mounted.containsKey("movie.Mjpeg"));
        }
    }

    @Test
    void existingMovieIsNeverOverwritten() throws IOException {
        Path dir = Files.createDirectories(root.resolve("media"));
        byte[] mine = TestFiles.lengthPrefixed(TestFiles.ffmpegFrames());
        TestFiles.write(dir.resolve(DemoClip.FILE_NAME), mine);

        try (MediaLibrary library = new MediaLibrary(dir, true, mounter)) {
            await(() -> mounter.mounted.keySet().equals(Set.of("demo", "movie.Mjpeg")));

            assertEquals(-1, library.demoWriteMillis());
            assertEquals(Duration.ofSeconds(2), mounter.mounted.get("demo").info().duration());
        }
        assertArrayEquals(mine, Files.readAllBytes(dir.resolve(DemoClip.FILE_NAME)));
    }

    @Test
    void withoutTheDemoTheDirectoryIsStillServed() throws IOException {
        Path dir = Files.createDirectories(root.resolve("media"));
        TestFiles.write(dir.resolve("clip.mjpeg"), TestFiles.raw(TestFiles.ffmpegFrames()));

        try (MediaLibrary library = new MediaLibrary(dir, false, mounter)) {
            await(() -> mounter.mounted.containsKey("clip.mjpeg"));

            assertEquals(Set.of("clip.mjpeg"), mounter.mounted.keySet());
            assertFalse(Files.exists(dir.resolve(DemoClip.FILE_NAME)));
        }
    }

    @Test
    void fileDroppedIntoTheDirectoryAppearsWithinAScanPeriod() throws IOException {
        Path dir = Files.createDirectories(root.resolve("media"));
        try (MediaLibrary library = new MediaLibrary(dir, false, mounter)) {
            TestFiles.write(dir.resolve("late.mjpeg"), TestFiles.raw(TestFiles.ffmpegFrames()));

            await(() -> mounter.mounted.containsKey("late.mjpeg"));
        }
        assertTrue(mounter.mounted.isEmpty());
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
