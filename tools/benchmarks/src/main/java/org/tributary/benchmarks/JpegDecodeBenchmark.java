package org.tributary.benchmarks;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.tributary.viewer.internal.FrameDecoder;
import org.tributary.viewer.internal.GstDecoder;
import org.tributary.viewer.internal.ImageIoJpegDecoder;

/**
 * Decode time per JPEG frame in the viewer's two decoders, ImageIO (its default) and GStreamer's jpegdec, at
 * 640x480 and 1920x1080 with camera-like detail (FFmpeg's testsrc2 with noise, quality 4: about 75 KB and
 * 450 KB per frame). Prints the median of each, and whether ImageIO keeps up with 1080p at 30 fps (33.3 ms).
 *
 * <pre>
 * ./mvnw -o -q -pl tools/benchmarks package
 * java -cp tools/benchmarks/target/benchmarks.jar org.tributary.benchmarks.JpegDecodeBenchmark [--frames 60]
 * </pre>
 *
 * <p>Each decoder decodes {@code frames} distinct frames once; the first 20 are the warm-up and are not counted.
 * Needs {@code /usr/bin/ffmpeg} (to make the frames) and GStreamer's jpeg plugin.
 */
public final class JpegDecodeBenchmark {

    private static final int WARM_UP = 20;

    private JpegDecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = 60;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--frames") && i + 1 < args.length) {
                frames = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: JpegDecodeBenchmark [--frames N]");
                System.exit(2);
            }
        }
        if (frames <= WARM_UP) {
            System.err.println("--frames must be more than " + WARM_UP);
            System.exit(2);
        }
        Path dir = Files.createTempDirectory("tributary-jpeg-decode-");
        try {
            List<ByteBuffer> vga = jpegs(dir, 640, 480, frames);
            List<ByteBuffer> full = jpegs(dir, 1920, 1080, frames);
            System.out.printf(Locale.ROOT, "frames: 640x480 mean %.1f KB, 1920x1080 mean %.1f KB%n",
                    meanKilobytes(vga), meanKilobytes(full));
            double imageIoVga = median(vga, 640, 480, ImageIoJpegDecoder::new);
            double imageIoFull = median(full, 1920, 1080, ImageIoJpegDecoder::new);
            double gstVga = median(vga, 640, 480, GstDecoder::jpeg);
            double gstFull = median(full, 1920, 1080, GstDecoder::jpeg);
            System.out.printf(Locale.ROOT, "JPEG decode, median ms/frame of %d: ImageIO 640x480 %.2f, 1920x1080 %.2f;"
                    + " GStreamer jpegdec 640x480 %.2f, 1920x1080 %.2f%n", frames - WARM_UP, imageIoVga, imageIoFull,
                    gstVga, gstFull);
            System.out.printf(Locale.ROOT, "ImageIO %s 1080p at 30 fps (33.3 ms a frame)%n",
                    imageIoFull < 1000.0 / 30 ? "keeps up with" : "does NOT keep up with");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static List<ByteBuffer> jpegs(Path dir, int width, int height, int count)
            throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve(width + "x" + height));
        Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + width + "x" + height + ":rate=30", "-vf",
                "noise=alls=12:allf=t", "-frames:v", Integer.toString(count), "-c:v", "mjpeg", "-q:v", "4",
                "-pix_fmt", "yuvj420p", "-f", "image2", out.resolve("f-%03d.jpg").toString()).inheritIO().start();
        if (ffmpeg.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not make the " + width + "x" + height + " frames");
        }
        List<ByteBuffer> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.sorted().toList()) {
                frames.add(ByteBuffer.wrap(Files.readAllBytes(f)));
            }
        }
        return frames;
    }

    private static double median(List<ByteBuffer> frames, int width, int height, Supplier<FrameDecoder> make)
            throws Exception {
        long[] times = new long[frames.size() - WARM_UP];
        int heldBack = 0;
        String name;
        try (FrameDecoder decoder = make.get()) {
            name = decoder.name();
            for (int i = 0; i < frames.size(); i++) {
                long start = System.nanoTime();
                BufferedImage picture = decoder.decode(frames.get(i).duplicate());
                long took = System.nanoTime() - start;
                // GStreamer's decoder hands a picture back with a later frame when decoding outlasts its wait.
                if (picture == null) {
                    heldBack++;
                } else if (picture.getWidth() != width || picture.getHeight() != height) {
                    throw new IllegalStateException(decoder.name() + " decoded frame " + i + " to "
                            + picture.getWidth() + "x" + picture.getHeight() + ", not " + width + "x" + height);
                }
                if (i >= WARM_UP) {
                    times[i - WARM_UP] = took;
                }
            }
        }
        if (heldBack > 0) {
            System.out.printf(Locale.ROOT, "%s at %dx%d: %d of %d frames gave their picture only with a later one%n",
                    name, width, height, heldBack, frames.size());
        }
        Arrays.sort(times);
        return times[times.length / 2] / 1e6;
    }

    private static double meanKilobytes(List<ByteBuffer> frames) {
        return frames.stream().mapToInt(ByteBuffer::remaining).average().orElse(0) / 1024;
    }
}
