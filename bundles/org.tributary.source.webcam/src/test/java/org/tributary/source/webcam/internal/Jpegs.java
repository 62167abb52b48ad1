package org.tributary.source.webcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.JpegException;

/** What the tests check about pictures and threads. */
final class Jpegs {

    private Jpegs() {
    }

    /** Checks that RTP/JPEG carries the image unchanged as 4:2:0 and that ImageIO decodes it; returns it decoded. */
    static BufferedImage assertRtpJpeg(ByteBuffer jpeg, int width, int height) throws IOException, JpegException {
        Jfif jfif = Jfif.parse(jpeg);
        assertTrue(jfif.rfc2435Compatible(), "RTP/JPEG cannot carry it: " + jfif.incompatibility());
        assertEquals(1, jfif.type(), "RFC 2435 type 1 is baseline 4:2:0");
        assertEquals(width, jfif.width());
        assertEquals(height, jfif.height());
        byte[] bytes = new byte[jpeg.remaining()];
        jpeg.duplicate().get(bytes);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, "ImageIO cannot decode it");
        assertEquals(width, image.getWidth());
        assertEquals(height, image.getHeight());
        return image;
    }

    /** The names of the live threads this bundle starts. */
    static Set<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tributary-webcam")).collect(Collectors.toSet());
    }
}
