package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.H264PayloadFormat;
import org.tributary.rtp.h264.NalUnit;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtsp.client.H264Clip;
import org.tributary.rtsp.client.JpegPacketization;

class DepacketizersTest {

    private static final MediaDescription H264 = new MediaDescription("video", 96, "H264", 90_000, "trackID=0",
            Map.of("packetization-mode", "1"), Map.of());
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
        assertTrue(Depacketizers.supports(Codec.H264));
        assertEquals(Optional.of(Codec.H264), Depacketizers.codec(
                new MediaDescription("video", 96, "H264", 90_000, null, Map.of(), Map.of())));
        assertEquals(Optional.empty(), Depacketizers.codec(
                new MediaDescription("audio", 0, "PCMU", 8000, null, Map.of(), Map.of())));
    }

    @Test
    void h264AccessUnitsComeOutAsTheyWereSent() throws Exception {
        List<ByteBuffer> sent = H264Clip.accessUnits();
        RtpPacketizer packetizer = new RtpPacketizer(new H264PayloadFormat(), 96, 7, 65500, 1400);
        Depacketizer d = Depacketizers.create(Codec.H264, H264, JpegPacketization.AUTO);
        List<ByteBuffer> received = new ArrayList<>();

        for (int i = 0; i < sent.size(); i++) {
            Frame frame = new Frame(Codec.H264, i, i * 40_000_000L, AnnexB.containsIdr(sent.get(i)), sent.get(i));
            for (ByteBuffer packet : packetizer.packetize(frame, i * 3600)) {
                d.accept(packet).ifPresent(received::add);
            }
        }

        assertEquals(H264Clip.PICTURES, received.size());
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(AnnexB.nalUnits(sent.get(i)), AnnexB.nalUnits(received.get(i)), "access unit " + i);
        }
        assertEquals(0, d.droppedFrames());
    }

    @Test
    void h264KeyframesGetTheSdpParameterSetsWhenTheyLackThem() throws Exception {
        ByteBuffer idr = H264Clip.accessUnits().get(0);
        List<ByteBuffer> sets = AnnexB.parameterSets(idr);
        String sprop = Base64.getEncoder().encodeToString(bytes(sets.get(0))) + ","
                + Base64.getEncoder().encodeToString(bytes(sets.get(1)));
        MediaDescription media = new MediaDescription("video", 96, "H264", 90_000, "trackID=0",
                Map.of("packetization-mode", "1", "sprop-parameter-sets", sprop), Map.of());
        ByteBuffer bare = AnnexB.join(H264Clip.slices(idr));
        RtpPacketizer packetizer = new RtpPacketizer(new H264PayloadFormat(), 96, 7, 1, 1400);
        Depacketizer d = Depacketizers.create(Codec.H264, media, JpegPacketization.AUTO);

        Optional<ByteBuffer> received = Optional.empty();
        for (ByteBuffer packet : packetizer.packetize(new Frame(Codec.H264, 0, 0, true, bare), 0)) {
            received = d.accept(packet);
        }

        assertEquals(List.of(NalUnit.SPS, NalUnit.PPS, NalUnit.IDR), H264Clip.types(received.orElseThrow()));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
