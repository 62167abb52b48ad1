package org.tributary.viewer.internal;

import java.util.Locale;

import org.tributary.api.Codec;

/**
 * Which decoder plays which codec.
 *
 * <p>JPEG: ImageIO by default. Measured on 2 cores (tools/benchmarks' JpegDecodeBenchmark, camera-like frames, median ms per frame,
 * 640x480 / 1920x1080): ImageIO 2.9 / 14.5, GStreamer jpegdec with the copy out 2.2 / 11.7, libjpeg-turbo's own
 * Java binding (Debian's libturbojpeg-java, not on Maven Central) 1.7 / 11.1. All keep up with 1080p30; ImageIO
 * needs no native library and cannot take the JVM down with a bad frame, so it stays the default, and
 * {@code -Dtributary.viewer.jpeg=gstreamer} picks jpegdec. H.264: GStreamer's avdec_h264.
 */
public final class Decoders {

    /** The system property that chooses the JPEG decoder: {@code imageio} or {@code gstreamer}. */
    public static final String JPEG_PROPERTY = "tributary.viewer.jpeg";

    private Decoders() {
    }

    /** A new decoder for the codec; the caller closes it. */
    public static FrameDecoder forCodec(Codec codec) {
        switch (codec) {
            case JPEG:
                return "gstreamer".equals(System.getProperty(JPEG_PROPERTY, "imageio").toLowerCase(Locale.ROOT))
                        ? GstDecoder.jpeg() : new ImageIoJpegDecoder();
            case H264:
                return GstDecoder.h264();
            default:
                throw new IllegalArgumentException("no decoder for " + codec);
        }
    }
}
