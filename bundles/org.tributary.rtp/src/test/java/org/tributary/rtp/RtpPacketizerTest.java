package org.tributary.rtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tributary.rtp.jpeg.JpegPayloadFormat;
import org.tributary.rtp.jpeg.TestImages;

class RtpPacketizerTest {

    @Test
    void headersCarryVersionTypeSequenceTimestampSsrcAndMarker() throws Exception {
        byte[] jpeg = TestImages.imageIo(TestImages.picture(640, 480, 0), 0.9f, 0, false);
        RtpPacketizer packetizer = new RtpPacketizer(new JpegPayloadFormat(), 26, 0xCAFEBABE, 65534, 1400);
        List<ByteBuffer> packets = packetizer.packetize(TestImages.frame(jpeg, 0), 0xF0000001);
        assertTrue(packets.size() > 3);
        long octets = 0;
        for (int i = 0; i < packets.size(); i++) {
            ByteBuffer p = packets.get(i);
            assertTrue(RtpHeader.isValid(p));
            assertFalse(RtpHeader.isRtcp(p));
            assertEquals(2, RtpHeader.version(p));
            assertEquals(26, RtpHeader.payloadType(p));
            assertEquals((65534 + i) & 0xFFFF, RtpHeader.sequence(p), "sequence wraps after 65535");
            assertEquals(0xF0000001L, RtpHeader.timestamp(p));
            assertEquals(0xCAFEBABE, RtpHeader.ssrc(p));
            assertEquals(i == packets.size() - 1, RtpHeader.marker(p));
            assertEquals(12, RtpHeader.payloadOffset(p));
            assertEquals(0, p.position());
            assertTrue(p.isReadOnly());
            octets += RtpHeader.payloadLength(p);
        }
        assertEquals(packets.size(), packetizer.packetCount());
        assertEquals(octets, packetizer.octetCount());
        assertEquals((65534 + packets.size()) & 0xFFFF, packetizer.nextSequence());
        assertEquals(0xCAFEBABE, packetizer.ssrc());
        assertEquals(26, packetizer.payloadType());
    }

    @Test
    void aRefusedFrameUsesNoSequenceNumber() throws Exception {
        RtpPacketizer packetizer = new RtpPacketizer(new JpegPayloadFormat(), 26, 1, 7, 1400);
        assertThrows(RtpException.class, () -> packetizer.packetize(TestImages.frame(new byte[] {0, 1, 2, 3}, 0), 0));
        assertEquals(7, packetizer.nextSequence());
        assertEquals(0, packetizer.packetCount());
    }

    @Test
    void headerReaderHandlesCsrcsExtensionAndPadding() throws Exception {
        ByteBuffer p = ByteBuffer.allocate(12 + 8 + 8 + 5 + 3);
        p.put((byte) (0x80 | 0x20 | 0x10 | 2)).put((byte) (0x80 | 96)).putShort((short) 513).putInt(-1).putInt(99);
        p.putInt(1).putInt(2); // two CSRCs
        p.putShort((short) 0xBEDE).putShort((short) 1).putInt(0); // one-word extension
        p.put(new byte[] {1, 2, 3, 4, 5}).put(new byte[] {0, 0, 3}); // payload and 3 bytes of padding
        p.flip();
        assertTrue(RtpHeader.isValid(p));
        assertEquals(96, RtpHeader.payloadType(p));
        assertTrue(RtpHeader.marker(p));
        assertEquals(513, RtpHeader.sequence(p));
        assertEquals(0xFFFFFFFFL, RtpHeader.timestamp(p));
        assertEquals(28, RtpHeader.payloadOffset(p));
        assertEquals(5, RtpHeader.payloadLength(p));
        assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5}), RtpHeader.payload(p));

        ByteBuffer truncated = p.duplicate().limit(24);
        assertEquals(-1, RtpHeader.payloadOffset(truncated));
        assertFalse(RtpHeader.isValid(truncated));
        assertThrows(RtpException.class, () -> RtpHeader.payload(truncated));
        ByteBuffer badPadding = ByteBuffer.allocate(14).put(0, (byte) 0xA0).put(13, (byte) 9);
        assertFalse(RtpHeader.isValid(badPadding));
    }

    @Test
    void rtcpIsToldApartFromRtpByItsPacketType() {
        assertTrue(RtpHeader.isRtcp(Rtcp.senderReport(1, 0, 0, 0, 0, "a")));
        assertTrue(RtpHeader.isRtcp(Rtcp.receiverReport(1, List.of(), "a")));
        assertFalse(RtpHeader.isRtcp(ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) (0x80 | 26), 0, 0})));
    }
}
