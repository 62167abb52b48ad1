package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Media the viewer's tests make with FFmpeg once per build, under {@code target/test-media}. */
final class TestMedia {

    static final Path DIR = Path.of("target", "test-media").toAbsolutePath();

    private TestMedia() {
    }

    /**
     * JPEG images of a moving test picture with film grain, so they carry the detail of a camera's (a plain test
     * pattern compresses to a fraction and decodes faster than anything real).
     */
    static synchronized List<Path> jpegs(int width, int height, int count) throws Exception {
        Path dir = DIR.resolve("jpeg-" + width + "x" + height);
        if (!Files.isRegularFile(dir.resolve(String.format("f-%03d.jpg", count)))) {
            Files.createDirectories(dir);
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30", "-vf",
                    "noise=alls=12:allf=t", "-frames:v", Integer.toString(count), "-c:v", "mjpeg", "-q:v", "4",
                    "-pix_fmt", "yuvj420p", "-f", "image2", dir.resolve("f-%03d.jpg").toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().limit(count).toList();
        }
    }

    /** 1920x1080 JPEG images like {@link #jpegs}, with the standard Huffman tables RFC 2435 needs. */
    static synchronized List<Path> jpegs1080pStandardTables(int count) throws Exception {
        Path dir = DIR.resolve("jpeg-1920x1080-rtp");
        if (!Files.isRegularFile(dir.resolve(String.format("f-%03d.jpg", count)))) {
            Files.createDirectories(dir);
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-vf", "noise=alls=12:allf=t", "-frames:v",
                    Integer.toString(count), "-c:v", "mjpeg", "-huffman", "default", "-q:v", "4", "-pix_fmt",
                    "yuvj420p", "-f", "image2", dir.resolve("f-%03d.jpg").toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jpg")).sorted().limit(count).toList();
        }
    }

    /**
     * A Matroska file of MJPEG with the standard Huffman tables (RFC 2435 carries no others) whose picture is one
     * flat colour with red = 20 × the second it belongs to, so a decoded picture tells its position: 10 s, 25 fps.
     */
    static synchronized Path positionClip() throws Exception {
        Path clip = DIR.resolve("position-10s.mkv");
        if (!Files.isRegularFile(clip)) {
            Files.createDirectories(DIR);
            Path partial = DIR.resolve("position-10s.partial.mkv");
            ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x240:r=25:d=10", "-vf",
                    "geq=r='20*floor(T)':g='128':b='64'", "-c:v", "mjpeg", "-huffman", "default", "-q:v", "3",
                    "-pix_fmt", "yuvj420p", partial.toString());
            Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING);
        }
        return clip;
    }

    /** 4 s of H.264 (constrained baseline, an IDR every 25 pictures) at the given size, 25 fps, in Matroska. */
    static synchronized Path h264Clip(int width, int height) throws Exception {
        Path clip = DIR.resolve("h264-" + width + "x" + height + ".mkv");
        if (!Files.isRegularFile(clip)) {
            Files.createDirectories(DIR);
            Path partial = DIR.resolve("h264-" + width + "x" + height + ".partial.mkv");
            ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=25", "-frames:v", "100",
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-profile:v", "baseline", "-g", "25", partial.toString());
            Files.move(partial, clip, StandardCopyOption.REPLACE_EXISTING);
        }
        return clip;
    }

    /** FFmpeg's decoding of the first picture of a clip, for comparing with the viewer's. */
    static java.awt.image.BufferedImage firstPicture(Path clip) throws Exception {
        Path png = DIR.resolve(clip.getFileName() + ".first.png");
        if (!Files.isRegularFile(png)) {
            ffmpeg("-i", clip.toString(), "-frames:v", "1", png.toString());
        }
        return javax.imageio.ImageIO.read(png.toFile());
    }

    private static void ffmpeg(String... arguments) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/ffmpeg")), "ffmpeg is needed (scripts/install-deps.sh)");
        List<String> command = new ArrayList<>(List.of("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
                "-nostdin", "-y"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ffmpeg timed out");
        assertEquals(0, p.exitValue(), "ffmpeg failed: " + output);
    }
}
