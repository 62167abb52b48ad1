package org.tributary.rtp.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JpegScannerTest {

    @TempDir
    Path dir;

    @Test
    void concatenatedImagesAreSplitAtTheirOwnEnds() throws Exception {
        List<byte[]> images = TestImages.ffmpeg(dir, "320x240", "yuvj420p", 3);
        images.add(TestImages.imageIo(TestImages.picture(200, 100, 0), 0.8f, 4, false));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (byte[] image : images) {
            stream.write(image);
        }
        ByteBuffer all = ByteBuffer.wrap(stream.toByteArray());
        int offset = 0;
        for (byte[] image : images) {
            assertEquals(image.length, JpegScanner.imageLength(all, offset));
            offset += image.length;
        }
        assertEquals(-1, JpegScanner.imageLength(all.duplicate().limit(offset - 1), offset - images.get(3).length));
        assertThrows(JpegException.class, () -> JpegScanner.imageLength(all, 1));
    }
}
