package org.tributary.rtp.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.tributary.api.Codec;
import org.tributary.api.Frame;

/** Real JPEG images for tests: encoded at test time by FFmpeg and by javax.imageio. */
public final class TestImages {

    public static final String FFMPEG = "/usr/bin/ffmpeg";

    private TestImages() {
    }

    /**
     * Frames of FFmpeg's test pattern encoded by its MJPEG encoder.
     *
     * @param options extra encoder options, e.g. {@code -huffman default}
     */
    public static List<byte[]> ffmpeg(Path dir, String size, String pixelFormat, int frames, String... options)
            throws IOException, InterruptedException {
        Path out = Files.createTempDirectory(dir, "ffmpeg");
        List<String> command = new ArrayList<>(List.of(FFMPEG, "-hide_banner", "-loglevel", "error", "-f", "lavfi",
                "-i", "testsrc=size=" + size + ":rate=5", "-frames:v", Integer.toString(frames), "-pix_fmt",
                pixelFormat));
        command.addAll(List.of(options));
        command.addAll(List.of("-f", "image2", out.resolve("f%03d.jpg").toString()));
        run(command);
        List<byte[]> images = new ArrayList<>();
        for (int i = 1; i <= frames; i++) {
            images.add(Files.readAllBytes(out.resolve(String.format("f%03d.jpg", i))));
        }
        return images;
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ffmpeg timed out");
        assertEquals(0, p.exitValue(), () -> "ffmpeg failed: " + new String(output, StandardCharsets.UTF_8));
    }

    /** A picture with gradients, edges and text, so every block has real content. */
    public static BufferedImage picture(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(200, 30 + seed * 20, 40), width, height, new Color(20, 90, 230)));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.YELLOW);
        g.fillOval(width / 4 + seed * 5, height / 4, width / 3, height / 3);
        g.setColor(Color.WHITE);
        g.drawString("Tributary " + seed, 10, height / 2);
        g.dispose();
        return image;
    }

    /** The default javax.imageio JPEG writer (4:2:0, standard Huffman tables), optionally with a DRI. */
    public static byte[] imageIo(BufferedImage image, float quality, int restartInterval, boolean progressive)
            throws IOException {
        return imageIo(image, quality, restartInterval, progressive, 0x22);
    }

    /**
     * The javax.imageio JPEG writer with the luma sampling factors {@code lumaSampling} (0x22 = 4:2:0,
     * 0x21 = 4:2:2, 0x11 = 4:4:4), chroma 1x1.
     */
    public static byte[] imageIo(BufferedImage image, float quality, int restartInterval, boolean progressive,
            int lumaSampling) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality > 0) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            String format = "javax_imageio_jpeg_image_1.0";
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
            IIOMetadataNode sequence = (IIOMetadataNode) root.getElementsByTagName("markerSequence").item(0);
            if (restartInterval > 0) {
                IIOMetadataNode dri = new IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                sequence.insertBefore(dri, sequence.getFirstChild());
            }
            IIOMetadataNode luma = (IIOMetadataNode) root.getElementsByTagName("componentSpec").item(0);
            luma.setAttribute("HsamplingFactor", Integer.toString(lumaSampling >>> 4));
            luma.setAttribute("VsamplingFactor", Integer.toString(lumaSampling & 0x0F));
            metadata.setFromTree(format, root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, metadata), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }

    public static BufferedImage decode(byte[] jpeg) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
        assertNotNull(image, "ImageIO could not decode the image");
        return image;
    }

    public static BufferedImage decode(ByteBuffer jpeg) throws IOException {
        return decode(bytes(jpeg));
    }

    public static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    public static Frame frame(byte[] jpeg, long index) {
        return new Frame(Codec.JPEG, index, index * 40_000_000L, true, ByteBuffer.wrap(jpeg));
    }

    /** Mean absolute difference per RGB channel over the area both pictures cover. */
    public static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        int width = Math.min(a.getWidth(), b.getWidth());
        int height = Math.min(a.getHeight(), b.getHeight());
        long sum = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                sum += Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
            }
        }
        return sum / (3.0 * width * height);
    }
}
