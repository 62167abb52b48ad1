package org.tributary.source.webcam.internal;

import java.awt.Dimension;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.nio.ByteBuffer;

import com.github.sarxos.webcam.WebcamDevice;
import com.github.sarxos.webcam.WebcamException;

/**
 * A camera that draws its pictures: eight colour bars sliding sideways, a white square bouncing across them, and
 * the picture's number in large digits at the top left, so that a viewer sees at a glance that pictures move and
 * none is skipped or repeated. Each {@link #getImageBytes()} draws the next picture.
 *
 * <p>Draws into its own RGB array, without Java2D: no fonts or display needed. Thread-safe.
 */
final class TestPatternDevice implements WebcamDevice, WebcamDevice.BufferAccess {

    private static final Dimension[] SIZES = { new Dimension(176, 144), new Dimension(320, 240),
            new Dimension(640, 480), new Dimension(1280, 720), new Dimension(1920, 1080) };

    private static final int[][] BARS = { { 235, 235, 235 }, { 235, 235, 16 }, { 16, 235, 235 }, { 16, 235, 16 },
            { 235, 16, 235 }, { 235, 16, 16 }, { 16, 16, 235 }, { 16, 16, 16 } };

    // 3x5 digits, one row per 3 bits, most significant bit left.
    private static final int[][] DIGITS = { { 7, 5, 5, 5, 7 }, { 2, 6, 2, 2, 7 }, { 7, 1, 7, 4, 7 },
            { 7, 1, 7, 1, 7 }, { 5, 5, 7, 1, 1 }, { 7, 4, 7, 1, 7 }, { 7, 4, 7, 5, 7 }, { 7, 1, 1, 1, 1 },
            { 7, 5, 7, 5, 7 }, { 7, 5, 7, 1, 7 } };

    private final String name;

    // Guarded by this.
    private Dimension size = SIZES[2];
    private boolean open;
    private boolean disconnected;
    private long picture;
    private byte[] rgb;

    TestPatternDevice(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Dimension[] getResolutions() {
        return SIZES.clone();
    }

    @Override
    public synchronized Dimension getResolution() {
        return new Dimension(size);
    }

    @Override
    public synchronized void setResolution(Dimension size) {
        if (open) {
            throw new IllegalStateException("cannot change the size of an open camera");
        }
        this.size = new Dimension(size);
    }

    @Override
    public synchronized void open() {
        if (disconnected) {
            throw new WebcamException(name + " is disconnected");
        }
        rgb = new byte[size.width * size.height * 3];
        picture = 0;
        open = true;
    }

    @Override
    public synchronized void close() {
        open = false;
        rgb = null;
    }

    @Override
    public void dispose() {
        close();
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    /**
     * Makes the camera behave as if unplugged (pictures stop coming, opening fails) or plugged in again. For tests
     * of what a stream does when its camera goes away.
     */
    synchronized void setDisconnected(boolean disconnected) {
        this.disconnected = disconnected;
    }

    /** Draws the next picture; null when closed or disconnected, as the library's own cameras do. */
    @Override
    public synchronized ByteBuffer getImageBytes() {
        if (!open || disconnected) {
            return null;
        }
        draw(rgb, size.width, size.height, picture++);
        return ByteBuffer.wrap(rgb).asReadOnlyBuffer();
    }

    @Override
    public synchronized void getImageBytes(ByteBuffer target) {
        ByteBuffer picture = getImageBytes();
        if (picture != null) {
            target.put(picture);
        }
    }

    @Override
    public BufferedImage getImage() {
        ByteBuffer bytes = getImageBytes();
        if (bytes == null) {
            return null;
        }
        Dimension d = getResolution();
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        ComponentColorModel colors = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB),
                new int[] { 8, 8, 8 }, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        PixelInterleavedSampleModel layout = new PixelInterleavedSampleModel(DataBuffer.TYPE_BYTE, d.width, d.height,
                3, d.width * 3, new int[] { 0, 1, 2 });
        return new BufferedImage(colors, Raster.createWritableRaster(layout, new DataBufferByte(copy, copy.length),
                null), false, null);
    }

    static void draw(byte[] rgb, int width, int height, long n) {
        int barWidth = Math.max(1, width / BARS.length);
        int shift = (int) (n * 4 % width);
        int row = width * 3;
        for (int x = 0; x < width; x++) {
            int[] bar = BARS[(x + shift) % width / barWidth % BARS.length];
            int i = x * 3;
            rgb[i] = (byte) bar[0];
            rgb[i + 1] = (byte) bar[1];
            rgb[i + 2] = (byte) bar[2];
        }
        for (int y = 1; y < height; y++) {
            System.arraycopy(rgb, 0, rgb, y * row, row);
        }
        int box = Math.max(8, height / 6);
        int bx = bounce(n * 5, width - box);
        int by = bounce(n * 3, height - box);
        fill(rgb, width, bx, by, box, box, 255);
        int cell = Math.max(2, height / 40);
        String digits = Long.toString(n);
        fill(rgb, width, 0, 0, Math.min(width, (digits.length() * 4 + 1) * cell), Math.min(height, 7 * cell), 0);
        for (int d = 0; d < digits.length(); d++) {
            int[] glyph = DIGITS[digits.charAt(d) - '0'];
            for (int gy = 0; gy < 5; gy++) {
                for (int gx = 0; gx < 3; gx++) {
                    if ((glyph[gy] >> (2 - gx) & 1) != 0) {
                        int x = (1 + d * 4 + gx) * cell;
                        int y = (1 + gy) * cell;
                        if (x + cell <= width && y + cell <= height) {
                            fill(rgb, width, x, y, cell, cell, 255);
                        }
                    }
                }
            }
        }
    }

    private static int bounce(long travelled, int span) {
        if (span <= 0) {
            return 0;
        }
        int p = (int) (travelled % (2L * span));
        return p < span ? p : 2 * span - p;
    }

    private static void fill(byte[] rgb, int width, int x0, int y0, int w, int h, int grey) {
        byte v = (byte) grey;
        for (int y = y0; y < y0 + h; y++) {
            int from = (y * width + x0) * 3;
            java.util.Arrays.fill(rgb, from, from + w * 3, v);
        }
    }
}
