package org.tributary.rtp.jpeg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpHeader;
import org.tributary.rtp.RtpPacketizer;

class RawJpegTest {

    @TempDir
    Path dir;

    @Test
    void eachFrameIsOneWholeJpegPerPacketWithConsecutiveSequenceNumbers() throws Exception {
        List<byte[]> images = TestImages.ffmpeg(dir, "320x240", "yuvj420p", 3);
        RtpPacketizer packetizer = new RtpPacketizer(new RawJpegPayloadFormat(), 26, 3, 0,
                RawJpegPayloadFormat.LAB_CLIENT_MAX_PACKET_SIZE);
        RawJpegDepacketizer depacketizer = new RawJpegDepacketizer();
        for (int i = 0; i < images.size(); i++) {
            List<ByteBuffer> packets = packetizer.packetize(TestImages.frame(images.get(i), i), i * 3600);
            assertEquals(1, packets.size());
            ByteBuffer packet = packets.get(0);
            assertEquals(i, RtpHeader.sequence(packet));
            assertTrue(RtpHeader.marker(packet));
            assertEquals(12 + images.get(i).length, packet.remaining());
            assertArrayEquals(images.get(i), TestImages.bytes(depacketizer.accept(packet).orElseThrow()));
        }
        assertEquals(0, depacketizer.droppedFrames());
    }

    @Test
    void framesTooLargeForTheLabClientAreRefused() throws Exception {
        byte[] big = TestImages.ffmpeg(dir, "1280x720", "yuvj420p", 1, "-q:v", "2").get(0);
        assertTrue(big.length > 20468);
        RtpPacketizer packetizer = new RtpPacketizer(new RawJpegPayloadFormat(), 26, 3, 0,
                RawJpegPayloadFormat.LAB_CLIENT_MAX_PACKET_SIZE);
        RtpException e = assertThrows(RtpException.class, () -> packetizer.packetize(TestImages.frame(big, 5), 0));
        assertTrue(e.getMessage().contains("20468"), e.getMessage());
    }

    @Test
    void lostTruncatedAndLateFramesAreCounted() throws Exception {
        byte[] jpeg = TestImages.imageIo(TestImages.picture(160, 120, 0), 0.8f, 0, false);
        RtpPacketizer packetizer = new RtpPacketizer(new RawJpegPayloadFormat(), 26, 3, 10, 65000);
        ByteBuffer[] packets = new ByteBuffer[5];
        for (int i = 0; i < packets.length; i++) {
            packets[i] = packetizer.packetize(TestImages.frame(jpeg, i), i).get(0);
        }
        RawJpegDepacketizer depacketizer = new RawJpegDepacketizer();
        assertTrue(depacketizer.accept(packets[0]).isPresent());
        assertTrue(depacketizer.accept(packets[2]).isPresent()); // packet 1 lost
        assertEquals(1, depacketizer.droppedFrames());
        assertTrue(depacketizer.accept(packets[1]).isEmpty()); // late
        assertEquals(2, depacketizer.droppedFrames());
        ByteBuffer truncated = packets[3].duplicate().limit(packets[3].limit() - 100);
        assertTrue(depacketizer.accept(truncated).isEmpty());
        assertEquals(3, depacketizer.droppedFrames());
        assertTrue(depacketizer.accept(packets[4]).isPresent());
    }
}
