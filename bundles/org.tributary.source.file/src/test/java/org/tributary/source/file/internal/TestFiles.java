package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Real JPEG frames from FFmpeg, and MJPEG files made of them. */
final class TestFiles {

    /** Frames in {@link #ffmpegFrames()}. */
    static final int FRAMES = 50;

    private static List<byte[]> frames;

    private TestFiles() {
    }

    /**
     * 50 JPEG images of FFmpeg's test pattern, 320x240, each written by FFmpeg as its own file, so the
     * frame boundaries are known without any JPEG parsing of ours.
     */
    static synchronized List<byte[]> ffmpegFrames() {
        if (frames == null) {
            try {
                Path dir = Files.createTempDirectory("tributary-ffmpeg");
                Process p = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-f", "lavfi", "-i",
                        "testsrc=size=320x240:rate=25", "-frames:v", String.valueOf(FRAMES), "-c:v", "mjpeg", "-q:v", "5",
                        // What RTP/JPEG carries: 4:2:0 with the standard Huffman tables.
                        "-pix_fmt", "yuvj420p", "-huffman", "default",
                        dir.resolve("f%03d.jpg").toString()).redirectErrorStream(true).start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("ffmpeg failed: " + output);
                }
                List<byte[]> list = new ArrayList<>();
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.sorted().toList()) {
                        list.add(Files.readAllBytes(f));
                        Files.delete(f);
                    }
                }
                Files.delete(dir);
                assertEquals(FRAMES, list.size(), "ffmpeg frames");
                frames = List.copyOf(list);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return frames;
    }

    /** The frames back to back. */
    static byte[] raw(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** The frames each preceded by its length as 5 ASCII digits. */
    static byte[] lengthPrefixed(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(String.format("%05d", f.length).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] content) {
        try {
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The byte offset of frame {@code n} in {@link #raw} of {@code frames}. */
    static long rawOffset(List<byte[]> frames, int n) {
        long offset = 0;
        for (int i = 0; i < n; i++) {
            offset += frames.get(i).length;
        }
        return offset;
    }

    /** Open file descriptors of this process (Linux), to show that nothing keeps a file open. */
    static long openFileDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether any thread whose name starts with {@code prefix} is alive. */
    static boolean threadAlive(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.isAlive() && t.getName().startsWith(prefix));
    }
}
