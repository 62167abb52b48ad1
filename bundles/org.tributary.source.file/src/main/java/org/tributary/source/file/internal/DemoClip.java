package org.tributary.source.file.internal;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The demo clip Tributary makes for itself: colour bars, a sweeping bar, a bouncing ball, a progress bar,
 * a frame counter ("frame 123") and a time readout ("00:04.92"), so a person sees at once that it plays,
 * at what rate, and whether frames are lost.
 *
 * <p>Frames are baseline JPEG with 4:2:0 sampling and the standard Huffman tables (what RFC 2435 and the
 * lab client take), each at most {@value #MAX_FRAME_BYTES} bytes so the lab client's 20480-byte receive
 * buffer holds a whole frame with its 12-byte RTP header; a frame that comes out larger is encoded again
 * at a lower quality. Text is drawn with a built-in bitmap font, so no system fonts are needed.
 *
 * <p>Written in the lab layout ({@link #writeLengthPrefixed}) or as raw concatenated JPEG
 * ({@link #writeRawJpeg}). Instances are immutable; each write uses its own encoder.
 */
public final class DemoClip {

    /** The file name the lab client asks for. */
    public static final String FILE_NAME = "movie.Mjpeg";

    /** The largest frame the lab client receives whole: 20480 bytes minus the 12-byte RTP header. */
    public static final int MAX_FRAME_BYTES = 20468;

    /** Default picture width. */
    public static final int WIDTH = 320;

    /** Default picture height. */
    public static final int HEIGHT = 240;

    /** Default frames per second. */
    public static final int FRAME_RATE = 25;

    /** Default length in frames (10 seconds). */
    public static final int FRAMES = 250;

    private static final float QUALITY = 0.85f;
    private static final float MIN_QUALITY = 0.2f;

    private static final Color[] BARS = { new Color(192, 192, 192), new Color(192, 192, 0), new Color(0, 192, 192),
            new Color(0, 192, 0), new Color(192, 0, 192), new Color(192, 0, 0), new Color(0, 0, 192) };

    private final int width;
    private final int height;
    private final int frameRate;
    private final int frames;

    /** The standard clip: 320x240, 25 fps, 250 frames. */
    public DemoClip() {
        this(WIDTH, HEIGHT, FRAME_RATE, FRAMES);
    }

    /**
     * A clip of another size or length.
     *
     * @param width pixels across, at least 160
     * @param height pixels down, at least 120
     */
    public DemoClip(int width, int height, int frameRate, int frames) {
        if (width < 160 || height < 120 || frameRate <= 0 || frames <= 0) {
            throw new IllegalArgumentException("demo clip needs at least 160x120, a positive frame rate and frame count: "
                    + width + "x" + height + " " + frameRate + " fps " + frames + " frames");
        }
        this.width = width;
        this.height = height;
        this.frameRate = frameRate;
        this.frames = frames;
    }

    /** The number of frames. */
    public int frames() {
        return frames;
    }

    /** Frames per second. */
    public int frameRate() {
        return frameRate;
    }

    /** Writes the clip in the lab layout: each frame preceded by its length as 5 ASCII digits. */
    public void writeLengthPrefixed(OutputStream out) throws IOException {
        try (Encoder encoder = new Encoder()) {
            for (int i = 0; i < frames; i++) {
                byte[] jpeg = encoder.frame(i);
                out.write(String.format("%05d", jpeg.length).getBytes(StandardCharsets.US_ASCII));
                out.write(jpeg);
            }
        }
    }

    /** Writes the clip as raw concatenated JPEG images. */
    public void writeRawJpeg(OutputStream out) throws IOException {
        try (Encoder encoder = new Encoder()) {
            for (int i = 0; i < frames; i++) {
                out.write(encoder.frame(i));
            }
        }
    }

    /** Frame {@code i} as a JPEG image. */
    public byte[] frame(int i) throws IOException {
        try (Encoder encoder = new Encoder()) {
            return encoder.frame(i);
        }
    }

    /**
     * Writes the clip in the lab layout to {@code file} unless a file of that name exists. The clip is
     * written to a hidden file beside it first and moved into place, so nobody ever sees half a clip.
     *
     * @return true if written, false if {@code file} already existed (it is left untouched)
     */
    public boolean writeIfAbsent(Path file) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Path temp = file.resolveSibling("." + file.getFileName() + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                writeLengthPrefixed(out);
            }
            Files.move(temp, file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** One JPEG writer and one canvas, reused for every frame of a write. */
    private final class Encoder implements AutoCloseable {
        private final BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        private final ImageWriter writer;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(MAX_FRAME_BYTES);

        Encoder() throws IOException {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
            if (!writers.hasNext()) {
                throw new IOException("demo clip: this Java runtime has no JPEG encoder (javax.imageio)");
            }
            writer = writers.next();
        }

        byte[] frame(int i) throws IOException {
            draw(i);
            for (float quality = QUALITY; quality >= MIN_QUALITY - 1e-6f; quality -= 0.1f) {
                byte[] jpeg = encode(quality);
                if (jpeg.length <= MAX_FRAME_BYTES) {
                    return jpeg;
                }
            }
            throw new IOException("demo clip: frame " + i + " stays over " + MAX_FRAME_BYTES + " bytes even at quality "
                    + MIN_QUALITY + "; use a smaller picture than " + width + "x" + height);
        }

        private byte[] encode(float quality) throws IOException {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            bytes.reset();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            return bytes.toByteArray();
        }

        private void draw(int i) {
            Graphics2D g = image.createGraphics();
            try {
                int w = width;
                int h = height;
                g.setColor(new Color(24, 24, 32));
                g.fillRect(0, 0, w, h);

                int barsHeight = h / 3;
                for (int b = 0; b < BARS.length; b++) {
                    int x0 = b * w / BARS.length;
                    int x1 = (b + 1) * w / BARS.length;
                    g.setColor(BARS[b]);
                    g.fillRect(x0, 0, x1 - x0, barsHeight);
                }
                // A bar sweeping across the colour bars once a second shows the frame rate at a glance.
                int sweep = (int) ((long) (i % frameRate) * w / frameRate);
                g.setColor(Color.WHITE);
                g.fillRect(sweep, 0, Math.max(4, w / 40), barsHeight);

                int ball = Math.max(8, h / 12);
                int travelX = w - ball;
                int travelY = h / 3 - ball;
                int x = triangle(i * 5, travelX);
                int y = barsHeight + 4 + triangle(i * 3, travelY);
                g.setColor(new Color(255, 160, 0));
                g.fillOval(x, y, ball, ball);

                int scale = Math.max(2, w / 100);
                int textX = w / 16;
                int frameY = barsHeight + h / 3 + 4;
                g.setColor(Color.WHITE);
                BitmapFont.draw(g, "frame " + i, textX, frameY, scale);
                long centis = Math.round(i * 100.0 / frameRate);
                String time = String.format("%02d:%02d.%02d", centis / 6000, centis / 100 % 60, centis % 100);
                g.setColor(new Color(120, 220, 255));
                BitmapFont.draw(g, time, textX, frameY + 9 * scale, scale);

                int progress = (int) ((long) (i + 1) * w / frames);
                g.setColor(new Color(0, 160, 80));
                g.fillRect(0, h - h / 30 - 2, progress, h / 30 + 2);
            } finally {
                g.dispose();
            }
        }

        @Override
        public void close() {
            writer.dispose();
        }
    }

    /** Goes 0..max..0 as {@code t} grows, so the ball bounces off the edges. */
    private static int triangle(int t, int max) {
        if (max <= 0) {
            return 0;
        }
        int period = 2 * max;
        int p = t % period;
        return p <= max ? p : period - p;
    }

    /** A 5x7 pixel font with just the characters the clip shows. */
    private static final class BitmapFont {
        private static final Map<Character, String[]> GLYPHS = Map.ofEntries(
                Map.entry('0', new String[] { ".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###." }),
                Map.entry('1', new String[] { "..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###." }),
                Map.entry('2', new String[] { ".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####" }),
                Map.entry('3', new String[] { "#####", "...#.", "..#..", "...#.", "....#", "#...#", ".###." }),
                Map.entry('4', new String[] { "...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#." }),
                Map.entry('5', new String[] { "#####", "#....", "####.", "....#", "....#", "#...#", ".###." }),
                Map.entry('6', new String[] { "..##.", ".#...", "#....", "####.", "#...#", "#...#", ".###." }),
                Map.entry('7', new String[] { "#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..." }),
                Map.entry('8', new String[] { ".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###." }),
                Map.entry('9', new String[] { ".###.", "#...#", "#...#", ".####", "....#", "...#.", ".##.." }),
                Map.entry(':', new String[] { ".....", "..#..", "..#..", ".....", "..#..", "..#..", "....." }),
                Map.entry('.', new String[] { ".....", ".....", ".....", ".....", ".....", ".##..", ".##.." }),
                Map.entry('f', new String[] { "..##.", ".#...", ".#...", "###..", ".#...", ".#...", ".#..." }),
                Map.entry('r', new String[] { ".....", ".....", "#.##.", "##..#", "#....", "#....", "#...." }),
                Map.entry('a', new String[] { ".....", ".....", ".###.", "....#", ".####", "#...#", ".####" }),
                Map.entry('m', new String[] { ".....", ".....", "##.#.", "#.#.#", "#.#.#", "#...#", "#...#" }),
                Map.entry('e', new String[] { ".....", ".....", ".###.", "#...#", "#####", "#....", ".###." }));

        static void draw(Graphics2D g, String text, int x, int y, int scale) {
            for (int c = 0; c < text.length(); c++) {
                String[] rows = GLYPHS.get(text.charAt(c));
                if (rows != null) {
                    for (int row = 0; row < rows.length; row++) {
                        for (int col = 0; col < rows[row].length(); col++) {
                            if (rows[row].charAt(col) == '#') {
                                g.fillRect(x + col * scale, y + row * scale, scale, scale);
                            }
                        }
                    }
                }
                x += 6 * scale;
            }
        }
    }
}
