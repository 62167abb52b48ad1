package org.tributary.rtp.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpHeader;
import org.tributary.rtp.RtpPacketizer;

class JpegRoundTripTest {

    @TempDir
    Path dir;

    private final JpegPayloadFormat format = new JpegPayloadFormat();

    @Test
    void ffmpeg420FramesSurviveTheRoundTripPixelForPixel() throws Exception {
        for (byte[] jpeg : TestImages.ffmpeg(dir, "320x240", "yuvj420p", 3, "-huffman", "default")) {
            Jfif jfif = Jfif.parse(ByteBuffer.wrap(jpeg));
            assertTrue(jfif.rfc2435Compatible(), jfif::incompatibility);
            assertEquals(1, jfif.type());
            assertEquals(320, jfif.width());
            assertEquals(240, jfif.height());
            assertRoundTrip(jpeg, RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
        }
    }

    @Test
    void type0FramesWithLuma2x1SurviveTheRoundTrip() throws Exception {
        for (int seed = 0; seed < 2; seed++) {
            byte[] jpeg = TestImages.imageIo(TestImages.picture(640, 480, seed), 0.85f, 0, false, 0x21);
            assertEquals(0, Jfif.parse(ByteBuffer.wrap(jpeg)).type());
            assertRoundTrip(jpeg, RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            byte[] restart = TestImages.imageIo(TestImages.picture(320, 240, seed), 0.85f, 5, false, 0x21);
            assertRoundTrip(restart, 700);
        }
    }

    @Test
    void ffmpeg422FramesAreRefusedBecauseTheirMcuLayoutIsNotType0() throws Exception {
        // FFmpeg writes 4:2:2 as Y 2x2 + chroma 1x2; a receiver rebuilding Y 2x1 + chroma 1x1 would garble it.
        byte[] jpeg = TestImages.ffmpeg(dir, "640x480", "yuvj422p", 1, "-huffman", "default").get(0);
        assertRefused(jpeg, "Y 2x2, Cb 1x2");
    }

    @Test
    void hdFramesAtHighQualitySpanManyPackets() throws Exception {
        for (byte[] jpeg : TestImages.ffmpeg(dir, "1280x720", "yuvj420p", 2, "-huffman", "default", "-q:v", "2")) {
            List<ByteBuffer> packets = assertRoundTrip(jpeg, RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            assertTrue(packets.size() > 20, "only " + packets.size() + " packets");
        }
    }

    @Test
    void restartIntervalsTravelAsType65() throws Exception {
        List<byte[]> images = TestImages.ffmpeg(dir, "640x360", "yuvj420p", 2, "-huffman", "default", "-q:v", "5",
                "-threads", "2", "-thread_type", "slice");
        for (byte[] jpeg : images) {
            Jfif jfif = Jfif.parse(ByteBuffer.wrap(jpeg));
            assertTrue(jfif.restartInterval() > 0, "ffmpeg wrote no DRI with slice threads");
            List<ByteBuffer> packets = assertRoundTrip(jpeg, 1000);
            ByteBuffer first = packets.get(0);
            int payload = RtpHeader.payloadOffset(first);
            assertEquals(65, first.get(payload + 4) & 0xFF);
            assertEquals(jfif.restartInterval(), first.getShort(payload + 8) & 0xFFFF);
            assertEquals((short) 0xFFFF, first.getShort(payload + 10), "F=1, L=1, count=0x3FFF");
        }
    }

    @Test
    void imageIoFramesWithAndWithoutRestartIntervalSurviveTheRoundTrip() throws Exception {
        for (int seed = 0; seed < 3; seed++) {
            BufferedImage picture = TestImages.picture(352, 288, seed);
            byte[] plain = TestImages.imageIo(picture, 0.9f, 0, false);
            assertEquals(1, Jfif.parse(ByteBuffer.wrap(plain)).type());
            assertRoundTrip(plain, 1400);
            byte[] restart = TestImages.imageIo(picture, 0.6f, 3, false);
            assertEquals(3, Jfif.parse(ByteBuffer.wrap(restart)).restartInterval());
            assertRoundTrip(restart, 500);
        }
    }

    @Test
    void sizesThatAreNotMultiplesOf8AreRoundedUpAndKeepTheirPicture() throws Exception {
        byte[] jpeg = TestImages.ffmpeg(dir, "100x75", "yuvj420p", 1, "-huffman", "default").get(0);
        List<ByteBuffer> packets = packetize(jpeg, 1400);
        ByteBuffer image = depacketize(packets);
        BufferedImage rebuilt = TestImages.decode(image);
        assertEquals(104, rebuilt.getWidth());
        assertEquals(80, rebuilt.getHeight());
        assertTrue(TestImages.meanAbsoluteDifference(TestImages.decode(jpeg), rebuilt) < 0.5);
    }

    @Test
    void standardQFactorTablesRebuildTheImageIoDefaultQuality() throws Exception {
        // ImageIO's default quality 0.75 uses the Annex K tables halved, i.e. IJG quality 75.
        byte[] jpeg = TestImages.imageIo(TestImages.picture(320, 240, 1), -1, 0, false);
        Jfif jfif = Jfif.parse(ByteBuffer.wrap(jpeg));
        byte[] q75 = JpegTables.scaledTables(75);
        assertArrayEquals(java.util.Arrays.copyOf(q75, 64), TestImages.bytes(jfif.lumaTable()));
        assertArrayEquals(java.util.Arrays.copyOfRange(q75, 64, 128), TestImages.bytes(jfif.chromaTable()));

        List<ByteBuffer> packets = new ArrayList<>();
        for (ByteBuffer packet : packetize(jpeg, 1400)) {
            packets.add(packet);
        }
        ByteBuffer first = packets.get(0);
        int payload = RtpHeader.payloadOffset(first);
        ByteBuffer withoutTables = ByteBuffer.allocate(first.remaining() - 132);
        withoutTables.put(first.duplicate().limit(payload + 8));
        withoutTables.put(payload + 5, (byte) 75);
        withoutTables.put(first.duplicate().position(payload + 8 + 132));
        packets.set(0, withoutTables.flip());

        BufferedImage rebuilt = TestImages.decode(depacketize(packets));
        assertTrue(TestImages.meanAbsoluteDifference(TestImages.decode(jpeg), rebuilt) < 0.5);
    }

    @Test
    void everyPacketRespectsTheSizeLimitAndOnlyTheLastHasTheMarker() throws Exception {
        byte[] jpeg = TestImages.imageIo(TestImages.picture(640, 480, 2), 0.95f, 0, false);
        for (int max : new int[] {200, 576, 1400, 9000}) {
            List<ByteBuffer> packets = packetize(jpeg, max);
            int expectedOffset = 0;
            for (int i = 0; i < packets.size(); i++) {
                ByteBuffer packet = packets.get(i);
                assertTrue(packet.remaining() <= max, packet.remaining() + " > " + max);
                assertTrue(packet.isReadOnly());
                assertEquals(i == packets.size() - 1, RtpHeader.marker(packet));
                int p = RtpHeader.payloadOffset(packet);
                int offset = ((packet.get(p + 1) & 0xFF) << 16) | ((packet.get(p + 2) & 0xFF) << 8) | (packet.get(p + 3) & 0xFF);
                assertEquals(expectedOffset, offset);
                assertEquals(255, packet.get(p + 5) & 0xFF);
                assertEquals(640 / 8, packet.get(p + 6) & 0xFF);
                assertEquals(480 / 8, packet.get(p + 7) & 0xFF);
                expectedOffset += RtpHeader.payloadLength(packet) - 8 - (i == 0 ? 132 : 0);
            }
            assertEquals(Jfif.parse(ByteBuffer.wrap(jpeg)).scanData().remaining(), expectedOffset);
        }
    }

    @Test
    void allPayloadsOfAFrameShareOneArray() throws Exception {
        byte[] jpeg = TestImages.imageIo(TestImages.picture(640, 480, 0), 0.9f, 0, false);
        List<ByteBuffer> payloads = new ArrayList<>();
        format.payloads(TestImages.frame(jpeg, 0), 1388, 12, payloads);
        assertTrue(payloads.size() > 3);
        byte[] array = payloads.get(0).array();
        for (ByteBuffer payload : payloads) {
            assertTrue(payload.array() == array);
            assertEquals(0, payload.position());
        }
    }

    @Test
    void unsupportedImagesAreRefusedWithAReason() throws Exception {
        byte[] optimized = TestImages.ffmpeg(dir, "320x240", "yuvj420p", 1).get(0);
        assertRefused(optimized, "Huffman");
        byte[] full = TestImages.ffmpeg(dir, "320x240", "yuvj444p", 1, "-huffman", "default").get(0);
        assertRefused(full, "4:4:4");
        assertRefused(TestImages.imageIo(TestImages.picture(320, 240, 0), 0.8f, 0, false, 0x11), "4:4:4");
        byte[] wide = TestImages.ffmpeg(dir, "2048x64", "yuvj420p", 1, "-huffman", "default").get(0);
        assertRefused(wide, "2040");
        byte[] progressive = TestImages.imageIo(TestImages.picture(320, 240, 0), 0.8f, 0, true);
        assertRefused(progressive, "progressive");
        BufferedImage gray = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
        gray.getGraphics().drawImage(TestImages.picture(64, 64, 0), 0, 0, null);
        assertRefused(TestImages.imageIo(gray, 0.8f, 0, false), "grayscale");
    }

    @Test
    void malformedBytesAreAJpegException() throws Exception {
        byte[] jpeg = TestImages.imageIo(TestImages.picture(64, 48, 0), 0.8f, 0, false);
        assertThrows(JpegException.class, () -> Jfif.parse(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})));
        for (int cut = 0; cut < 700 && cut < jpeg.length - 2; cut += 7) {
            ByteBuffer truncated = ByteBuffer.wrap(jpeg, 0, cut);
            assertThrows(JpegException.class, () -> Jfif.parse(truncated), "cut at " + cut);
        }
        assertThrows(RtpException.class, () -> format.payloads(TestImages.frame(new byte[] {1, 2}, 0), 1000,
                new ArrayList<>()));
    }

    @Test
    void lostReorderedAndInterruptedFramesAreDroppedAndCounted() throws Exception {
        byte[] a = TestImages.imageIo(TestImages.picture(320, 240, 0), 0.9f, 0, false);
        byte[] b = TestImages.imageIo(TestImages.picture(320, 240, 1), 0.9f, 0, false);
        RtpPacketizer packetizer = new RtpPacketizer(format, 26, 42, 100, 600);
        List<ByteBuffer> frameA = packetizer.packetize(TestImages.frame(a, 0), 0);
        List<ByteBuffer> frameB = packetizer.packetize(TestImages.frame(b, 1), 3600);
        List<ByteBuffer> frameC = packetizer.packetize(TestImages.frame(a, 2), 7200);
        List<ByteBuffer> frameD = packetizer.packetize(TestImages.frame(b, 3), 10800);
        assertTrue(frameA.size() > 3);
        JpegDepacketizer depacketizer = new JpegDepacketizer();

        for (int i = 1; i < frameA.size(); i++) { // first fragment lost
            assertTrue(depacketizer.accept(frameA.get(i)).isEmpty());
        }
        assertEquals(1, depacketizer.droppedFrames());

        for (int i = 0; i < frameB.size(); i++) { // a middle fragment lost
            if (i != 2) {
                assertTrue(depacketizer.accept(frameB.get(i)).isEmpty());
            }
        }
        assertEquals(2, depacketizer.droppedFrames());

        for (int i = 0; i < frameC.size() - 1; i++) { // marker lost: noticed when the next frame starts
            assertTrue(depacketizer.accept(frameC.get(i)).isEmpty());
        }
        Optional<ByteBuffer> image = Optional.empty();
        for (ByteBuffer packet : frameD) {
            assertTrue(image.isEmpty());
            image = depacketizer.accept(packet);
        }
        assertEquals(3, depacketizer.droppedFrames());
        assertTrue(TestImages.meanAbsoluteDifference(TestImages.decode(b), TestImages.decode(image.get())) < 0.5);
    }

    @Test
    void garbagePacketsNeverThrow() throws Exception {
        byte[] jpeg = TestImages.imageIo(TestImages.picture(160, 120, 0), 0.9f, 0, false);
        List<ByteBuffer> packets = packetize(jpeg, 300);
        JpegDepacketizer depacketizer = new JpegDepacketizer();
        java.util.Random random = new java.util.Random(7);
        for (int round = 0; round < 2000; round++) {
            ByteBuffer packet = packets.get(random.nextInt(packets.size()));
            byte[] bytes = TestImages.bytes(packet);
            int length = random.nextInt(bytes.length + 1);
            for (int k = 0; k < 3; k++) {
                bytes[12 + random.nextInt(Math.max(1, bytes.length - 12))] = (byte) random.nextInt();
            }
            depacketizer.accept(ByteBuffer.wrap(bytes, 0, length));
        }
        Optional<ByteBuffer> image = Optional.empty();
        for (ByteBuffer packet : packetize(jpeg, 300)) {
            image = depacketizer.accept(ByteBuffer.wrap(TestImages.bytes(packet)));
        }
        assertTrue(image.isPresent(), "a clean frame after garbage is rebuilt");
    }

    private void assertRefused(byte[] jpeg, String reason) throws Exception {
        Jfif jfif = Jfif.parse(ByteBuffer.wrap(jpeg));
        assertFalse(jfif.rfc2435Compatible());
        assertTrue(jfif.incompatibility().contains(reason), jfif.incompatibility());
        RtpException e = assertThrows(RtpException.class, () -> packetize(jpeg, 1400));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private List<ByteBuffer> assertRoundTrip(byte[] jpeg, int maxPacketSize) throws Exception {
        List<ByteBuffer> packets = packetize(jpeg, maxPacketSize);
        ByteBuffer image = depacketize(packets);
        BufferedImage original = TestImages.decode(jpeg);
        BufferedImage rebuilt = TestImages.decode(image);
        assertEquals(original.getWidth(), rebuilt.getWidth());
        assertEquals(original.getHeight(), rebuilt.getHeight());
        double difference = TestImages.meanAbsoluteDifference(original, rebuilt);
        assertTrue(difference < 0.5, "mean absolute difference " + difference);
        assertNull(Jfif.parse(image).incompatibility(), "the rebuilt image is itself RTP/JPEG compatible");
        return packets;
    }

    private List<ByteBuffer> packetize(byte[] jpeg, int maxPacketSize) throws RtpException {
        return new RtpPacketizer(format, 26, 0x1234, 65530, maxPacketSize).packetize(TestImages.frame(jpeg, 0), 12345);
    }

    private static ByteBuffer depacketize(List<ByteBuffer> packets) {
        JpegDepacketizer depacketizer = new JpegDepacketizer();
        Optional<ByteBuffer> image = Optional.empty();
        for (ByteBuffer packet : packets) {
            assertTrue(image.isEmpty(), "image before the marker packet");
            image = depacketizer.accept(packet);
        }
        assertEquals(0, depacketizer.droppedFrames());
        return image.orElseThrow();
    }
}
