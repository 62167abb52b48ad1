package org.tributary.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Random;

import javax.imageio.ImageIO;

import org.tributary.api.Codec;
import org.tributary.api.Frame;

/**
 * Baseline JPEG frames made in memory with ImageIO's default writer (quality 0.75, 4:2:0, standard Huffman
 * tables), so benchmarks need no media files. Each picture has smooth areas, edges, text and sensor-like
 * noise, which gives compressed sizes close to camera footage rather than the few kilobytes of a flat test
 * pattern; the packetizer's cost is per byte, so the size matters more than the content.
 *
 * <p>Deterministic: the same arguments give the same bytes. Thread-safe (no shared state).
 */
public final class TestImages {

    private TestImages() {
    }

    /**
     * Frames of the given size at 25 fps, each a different picture.
     *
     * @param resolution {@code WIDTHxHEIGHT}, e.g. {@code 640x480}
     */
    public static Frame[] jpegFrames(String resolution, int count) {
        String[] wh = resolution.split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);
        Frame[] frames = new Frame[count];
        for (int i = 0; i < count; i++) {
            byte[] jpeg = encode(picture(width, height, i));
            frames[i] = new Frame(Codec.JPEG, i, i * 40_000_000L, true, ByteBuffer.wrap(jpeg));
        }
        return frames;
    }

    /** The mean size in bytes of the frames. */
    public static double meanSize(Frame[] frames) {
        long total = 0;
        for (Frame frame : frames) {
            total += frame.size();
        }
        return (double) total / frames.length;
    }

    private static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, new Color(40, 90, 160), 0, height, new Color(200, 220, 240)));
        g.fillRect(0, 0, width, height);
        Random random = new Random(seed * 7919L + width);
        for (int i = 0; i < 40; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            int w = 10 + random.nextInt(width / 4);
            int h = 10 + random.nextInt(height / 4);
            if (i % 3 == 0) {
                g.fillOval(x, y, w, h);
            } else if (i % 3 == 1) {
                g.fillRect(x, y, w, h);
            } else {
                g.setStroke(new BasicStroke(1 + random.nextInt(6)));
                g.drawLine(x, y, random.nextInt(width), random.nextInt(height));
            }
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, height / 10)));
        g.drawString("Tributary frame " + seed, width / 20, height - height / 10);
        g.dispose();
        addNoise(image, random);
        return image;
    }

    /** Adds sensor-like grey noise (a standard deviation of 6 levels) to every pixel. */
    static void addNoise(BufferedImage image, Random random) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb = image.getRGB(0, 0, width, height, null, 0, width);
        for (int p = 0; p < rgb.length; p++) {
            int noise = (int) (random.nextGaussian() * 6);
            int r = clamp(((rgb[p] >> 16) & 0xFF) + noise);
            int gr = clamp(((rgb[p] >> 8) & 0xFF) + noise);
            int b = clamp((rgb[p] & 0xFF) + noise);
            rgb[p] = (r << 16) | (gr << 8) | b;
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** The image as a baseline JPEG from ImageIO's default writer. */
    static byte[] encode(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "jpeg", out)) {
                throw new IllegalStateException("no ImageIO JPEG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
