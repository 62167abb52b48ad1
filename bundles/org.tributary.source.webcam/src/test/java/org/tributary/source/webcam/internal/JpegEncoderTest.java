package org.tributary.source.webcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tributary.source.webcam.internal.Jpegs.assertRtpJpeg;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/**
 * Both encoders write what RTP/JPEG carries, and how fast they are on a 640x480 test pattern picture (median of
 * 200 after 100 warm-up encodes, printed for the record).
 */
class JpegEncoderTest {

    private static final int W = 640;
    private static final int H = 480;

    @Test
    void imageIoWritesBaseline420WithStandardTables() throws Exception {
        check(() -> new ImageIoJpegEncoder(0.8));
    }

    @Test
    void fastestIsTurboJpegWhereInstallDepsRanAndWritesBaseline420WithStandardTables() throws Exception {
        try (JpegEncoder encoder = JpegEncoder.fastest(0.8)) {
            assertEquals("TurboJPEG", encoder.name(),
                    "TurboJPEG must load where scripts/install-deps.sh ran (libturbojpeg-java, libturbojpeg0-dev)");
        }
        check(() -> JpegEncoder.fastest(0.8));
    }

    @Test
    void lowerQualityGivesSmallerPictures() {
        byte[] rgb = picture(7);
        try (JpegEncoder good = JpegEncoder.fastest(0.9); JpegEncoder poor = JpegEncoder.fastest(0.3)) {
            assertTrue(poor.encode(rgb, W, H).length < good.encode(rgb, W, H).length);
        }
    }

    private static void check(Supplier<JpegEncoder> make) throws Exception {
        try (JpegEncoder encoder = make.get()) {
            byte[] rgb = picture(42);
            assertRtpJpeg(ByteBuffer.wrap(encoder.encode(rgb, W, H)), W, H);
            for (int i = 0; i < 100; i++) {
                encoder.encode(rgb, W, H);
            }
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                long t = System.nanoTime();
                encoder.encode(rgb, W, H);
                nanos[i] = System.nanoTime() - t;
            }
            Arrays.sort(nanos);
            System.out.printf("%s: %.2f ms per 640x480 picture (median of 200)%n", encoder.name(), nanos[100] / 1e6);
        }
    }

    private static byte[] picture(long n) {
        byte[] rgb = new byte[W * H * 3];
        TestPatternDevice.draw(rgb, W, H, n);
        return rgb;
    }
}
