package org.tributary.source.webcam.internal;

/**
 * Encodes RGB pictures as baseline JPEG with 4:2:0 chroma subsampling and the standard Huffman tables, which is
 * what RTP/JPEG (RFC 2435) can carry and every receiver decodes.
 *
 * <p>One encoder serves one capture thread; it is not thread-safe. Close it when the capture ends.
 */
interface JpegEncoder extends AutoCloseable {

    /**
     * Encodes one picture.
     *
     * @param rgb packed pixels, 3 bytes (red, green, blue) each, rows of {@code width * 3} bytes; only read
     * @return a new array holding the whole JPEG image, owned by the caller
     */
    byte[] encode(byte[] rgb, int width, int height);

    /** What encodes, for logs and the service properties. */
    String name();

    @Override
    void close();

    /**
     * The fastest encoder that works here: TurboJPEG when the bundle was built with Debian's
     * {@code libturbojpeg-java} and its native library loads (0.5 ms per 640x480 picture on this project's 2-core
     * machine), else ImageIO (1.3 ms).
     *
     * @param quality 0.05 to 1
     */
    static JpegEncoder fastest(double quality) {
        // The TurboJPEG encoder is compiled only where the binding's jar exists (Maven profile turbojpeg), so it
        // is looked up by name rather than linked.
        try {
            Class<?> turbo = Class.forName(JpegEncoder.class.getPackageName() + ".TurboJpegEncoder");
            java.lang.reflect.Method reason = turbo.getDeclaredMethod("unavailableReason");
            reason.setAccessible(true);
            if (reason.invoke(null) == null) {
                java.lang.reflect.Constructor<?> make = turbo.getDeclaredConstructor(double.class);
                make.setAccessible(true);
                return (JpegEncoder) make.newInstance(quality);
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // Built without TurboJPEG, or its native library is missing: ImageIO it is.
        }
        return new ImageIoJpegEncoder(quality);
    }
}
