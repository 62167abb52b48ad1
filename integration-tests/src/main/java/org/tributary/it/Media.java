package org.tributary.it;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.osgi.framework.BundleContext;
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.JpegException;

/** The test media: the demo clip the file source writes into the media directory, and picture checks. */
public final class Media {

    private Media() {
    }

    /** The media directory of the test framework ({@code tributary.media}). */
    public static Path directory(BundleContext context) {
        return Path.of(context.getProperty("tributary.media"));
    }

    /** The frames of a file in the classic lab format (each JPEG preceded by its length in 5 ASCII digits). */
    public static List<byte[]> labFrames(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos + 5 <= all.length) {
            int length = Integer.parseInt(new String(all, pos, 5, StandardCharsets.US_ASCII).trim());
            pos += 5;
            byte[] frame = new byte[length];
            System.arraycopy(all, pos, frame, 0, length);
            frames.add(frame);
            pos += length;
        }
        return frames;
    }

    /** The entropy-coded data of a JPEG: equal scan data means the same picture, whatever the headers. */
    public static ByteBuffer scanData(byte[] jpeg) throws JpegException {
        return Jfif.parse(ByteBuffer.wrap(jpeg)).scanData();
    }

    /** The index of the frame whose scan data equals that of {@code jpeg}, or -1. */
    public static int indexOf(List<byte[]> frames, byte[] jpeg) throws JpegException {
        ByteBuffer wanted = scanData(jpeg);
        for (int i = 0; i < frames.size(); i++) {
            if (scanData(frames.get(i)).equals(wanted)) {
                return i;
            }
        }
        return -1;
    }

    public static BufferedImage decode(byte[] image) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
        if (img == null) {
            throw new IOException("not a decodable image (" + image.length + " bytes)");
        }
        return img;
    }

    /** Peak signal-to-noise ratio of two pictures of the same size over R, G and B, in dB. */
    public static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " and " + b.getWidth()
                    + "x" + b.getHeight());
        }
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((p >> shift) & 0xFF) - ((q >> shift) & 0xFF);
                    sum += d * d;
                }
            }
        }
        double mse = sum / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
