package org.tributary.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.jpeg.JpegException;
import org.tributary.rtp.jpeg.JpegPayloadFormat;
import org.tributary.rtp.jpeg.Jfif;

/**
 * A set of distinct baseline JPEG pictures of one size for {@link TimedLiveSource}, and the way back from a
 * received image to the picture it was: the entropy-coded scan data, which RFC 2435 carries unchanged while
 * the receiver rebuilds every header, identifies the picture.
 *
 * <p>The pictures are made with ImageIO's default writer from {@code TYPE_INT_RGB} images (quality 0.75,
 * 4:2:0, standard Huffman tables: RFC 2435 type 1; checked). Each has a gradient, a few shapes placed by a
 * seed and its number written on it; from 320 px wide they also get sensor-like noise, so their sizes are
 * close to camera footage. Deterministic: the same arguments give the same bytes.
 *
 * <p>Immutable after construction; {@link #pictureOf} is thread-safe.
 */
final class LivePictures {

    private final int width;
    private final int height;
    private final byte[][] jpegs;
    private final Map<ByteBuffer, Integer> byScan;
    private final int[] packets;

    private LivePictures(int width, int height, byte[][] jpegs, Map<ByteBuffer, Integer> byScan, int[] packets) {
        this.width = width;
        this.height = height;
        this.jpegs = jpegs;
        this.byScan = byScan;
        this.packets = packets;
    }

    /**
     * Makes {@code count} pictures of {@code width} x {@code height}.
     *
     * @throws IllegalStateException if a picture is not RFC 2435 type 1 or two pictures share their scan data
     */
    static LivePictures make(int width, int height, int count) {
        byte[][] jpegs = new byte[count][];
        Map<ByteBuffer, Integer> byScan = new HashMap<>();
        int[] packets = new int[count];
        RtpPacketizer packetizer = new RtpPacketizer(new JpegPayloadFormat(), 26, 1, 0,
                RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
        for (int i = 0; i < count; i++) {
            byte[] jpeg = TestImages.encode(picture(width, height, i));
            Jfif jfif;
            try {
                jfif = Jfif.parse(ByteBuffer.wrap(jpeg));
                packets[i] = packetizer.packetize(new Frame(Codec.JPEG, i, 0, true, ByteBuffer.wrap(jpeg)), 0).size();
            } catch (JpegException | RtpException e) {
                throw new IllegalStateException("picture " + i + " is not a usable JPEG: " + e.getMessage(), e);
            }
            if (!jfif.rfc2435Compatible() || jfif.type() != 1) {
                throw new IllegalStateException("picture " + i + " is not RFC 2435 type 1 (type " + jfif.type() + "): "
                        + jfif.incompatibility());
            }
            Integer before = byScan.put(jfif.scanData(), i);
            if (before != null) {
                throw new IllegalStateException("pictures " + before + " and " + i + " have the same scan data");
            }
            jpegs[i] = jpeg;
        }
        return new LivePictures(width, height, jpegs, byScan, packets);
    }

    int width() {
        return width;
    }

    int height() {
        return height;
    }

    /** The number of pictures. */
    int count() {
        return jpegs.length;
    }

    /** The coded picture {@code i}, read-only. */
    ByteBuffer jpeg(int i) {
        return ByteBuffer.wrap(jpegs[i]).asReadOnlyBuffer();
    }

    /** The fewest RTP packets of 1400 bytes one picture needs, as the server sends them (RFC 2435). */
    int minPackets() {
        int min = Integer.MAX_VALUE;
        for (int p : packets) {
            min = Math.min(min, p);
        }
        return min;
    }

    /** The most RTP packets of 1400 bytes one picture needs. */
    int maxPackets() {
        int max = 0;
        for (int p : packets) {
            max = Math.max(max, p);
        }
        return max;
    }

    /** The mean size of the pictures in bytes. */
    double meanBytes() {
        long total = 0;
        for (byte[] jpeg : jpegs) {
            total += jpeg.length;
        }
        return (double) total / jpegs.length;
    }

    /**
     * The number of the picture a received JPEG image shows, by its scan data; -1 if it is none of them or
     * not a JPEG image.
     */
    int pictureOf(ByteBuffer image) {
        try {
            Integer i = byScan.get(Jfif.parse(image).scanData());
            return i == null ? -1 : i;
        } catch (JpegException e) {
            return -1;
        }
    }

    private static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        Random random = new Random(seed * 7919L + width);
        g.setPaint(new GradientPaint(0, 0, Color.getHSBColor(seed / 97f, 0.5f, 0.6f), 0, height,
                Color.getHSBColor(seed / 89f, 0.3f, 0.9f)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 6; i++) {
            g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
            int x = random.nextInt(width);
            int y = random.nextInt(height);
            int w = 4 + random.nextInt(width / 3);
            int h = 4 + random.nextInt(height / 3);
            if (i % 2 == 0) {
                g.fillOval(x, y, w, h);
            } else {
                g.fillRect(x, y, w, h);
            }
        }
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(12, height / 6)));
        g.drawString(Integer.toString(seed), width / 20, height - height / 8);
        g.dispose();
        if (width >= 320) {
            TestImages.addNoise(image, random);
        }
        return image;
    }
}
