package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtsp.client.JpegPacketization;

class DepacketizersTest {

    private static final MediaDescription JPEG = new MediaDescription("video", 26, "JPEG", 90_000, "trackID=0",
            Map.of(), Map.of());

    @Test
    void aWholeJfifPerPacketIsDetectedAsTheLabFormat() throws Exception {
        byte[] jfif = jpeg();
        Depacketizer d = Depacketizers.create(Codec.JPEG, JPEG, JpegPacketization.AUTO);

        Optional<ByteBuffer> first = d.accept(Packets.rtp(1, 0, false, jfif));
        Optional<ByteBuffer> second = d.accept(Packets.rtp(2, 3600, false, jfif));

        assertTrue(first.isPresent());
        assertTrue(second.isPresent());
        byte[] out = new byte[first.get().remaining()];
        first.get().get(out);
        assertArrayEquals(jfif, out);
        assertEquals(0, d.droppedFrames());
    }

    @Test
    void rfc2435IsChosenWhenThePayloadDoesNotStartWithSoi() {
        Depacketizer d = Depacketizers.create(Codec.JPEG, JPEG, JpegPacketization.AUTO);
        // A main JPEG header (offset 0, type 1, Q 50, 320x240) and scan bytes, ended by the marker.
        byte[] payload = {0, 0, 0, 0, 1, 50, 40, 30, 0x12, 0x34};
        Optional<ByteBuffer> frame = d.accept(Packets.rtp(1, 0, true, payload));
        assertTrue(frame.isPresent());
        ByteBuffer image = frame.get();
        assertEquals((byte) 0xFF, image.get(0));
        assertEquals((byte) 0xD8, image.get(1));
    }

    @Test
    void onlyCodecsWithADepacketizerArePlayable() {
        assertTrue(Depacketizers.supports(Codec.JPEG));
        assertFalse(Depacketizers.supports(Codec.H264));
        assertEquals(Optional.of(Codec.H264), Depacketizers.codec(
                new MediaDescription("video", 96, "H264", 90_000, null, Map.of(), Map.of())));
        assertEquals(Optional.empty(), Depacketizers.codec(
                new MediaDescription("audio", 0, "PCMU", 8000, null, Map.of(), Map.of())));
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
