package org.tributary.rtp;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RtcpTest {

    @Test
    void senderReportCarriesSenderInfoAndCname() throws Exception {
        long ntp = Rtcp.ntpTimestamp(Instant.parse("2024-01-01T00:00:00.500Z").toEpochMilli());
        ByteBuffer sr = Rtcp.senderReport(0x11223344, ntp, 0xFFFFFFF0, 5_000_000_000L + 7, 123456, "tributary@host");
        assertEquals(0, sr.position());
        assertEquals(0, sr.remaining() % 4);
        List<RtcpPacket> packets = Rtcp.parse(sr);
        assertEquals(2, packets.size());
        RtcpPacket report = packets.get(0);
        assertEquals(RtcpPacket.SR, report.type());
        assertEquals(0x11223344, report.ssrc());
        assertEquals(ntp, report.senderInfo().ntpTimestamp());
        assertEquals(0xFFFFFFF0L, report.senderInfo().rtpTimestamp());
        assertEquals(7 + 5_000_000_000L % (1L << 32), report.senderInfo().packetCount(), "32 bits on the wire");
        assertEquals(123456, report.senderInfo().octetCount());
        assertTrue(report.reportBlocks().isEmpty());
        assertEquals(RtcpPacket.SDES, packets.get(1).type());
        assertEquals(0x11223344, packets.get(1).ssrc());
        assertEquals("tributary@host", packets.get(1).cname());
    }

    @Test
    void ntpTimestampCountsFrom1900WithABinaryFraction() {
        long ntp = Rtcp.ntpTimestamp(1000L * 1_700_000_000L + 250);
        assertEquals(1_700_000_000L + 2_208_988_800L, ntp >>> 32);
        assertEquals(1L << 30, ntp & 0xFFFFFFFFL);
        assertEquals(((ntp >>> 32) & 0xFFFF) << 16 | (1L << 14), Rtcp.compactNtp(ntp));
    }

    @Test
    void byeEndsWithTheReasonAfterAReport() throws Exception {
        List<RtcpPacket> packets = Rtcp.parse(Rtcp.bye(42, 0, 0, 1, 2, "me", "end of stream"));
        assertEquals(List.of(RtcpPacket.SR, RtcpPacket.SDES, RtcpPacket.BYE), packets.stream().map(RtcpPacket::type).toList());
        assertEquals(42, packets.get(2).ssrc());
        assertEquals("end of stream", packets.get(2).reason());
        assertNull(Rtcp.parse(Rtcp.bye(42, 0, 0, 1, 2, "me", null)).get(2).reason());
    }

    @Test
    void receiverReportBlocksRoundTrip() throws Exception {
        RtcpPacket.ReportBlock block = new RtcpPacket.ReportBlock(7, 25, -3, 0x0001FFFFL, 1234, 0xABCDEF01L, 65536);
        List<RtcpPacket> packets = Rtcp.parse(Rtcp.receiverReport(9, List.of(block, block), "viewer"));
        assertEquals(RtcpPacket.RR, packets.get(0).type());
        assertEquals(9, packets.get(0).ssrc());
        assertEquals(List.of(block, block), packets.get(0).reportBlocks());
        assertEquals("viewer", packets.get(1).cname());
        List<RtcpPacket> bye = Rtcp.parse(Rtcp.receiverBye(9, List.of(), "viewer", "teardown"));
        assertEquals("teardown", bye.get(2).reason());
    }

    @Test
    void everyTruncationOrCorruptionIsAnRtpExceptionNeverAnIndexError() {
        byte[] valid = bytes(Rtcp.bye(42, 1, 2, 3, 4, "a-fairly-long-cname@example.org", "bye"));
        java.util.Set<Integer> boundaries = new java.util.HashSet<>();
        for (int at = 0; at < valid.length; at += 4 * ((((valid[at + 2] & 0xFF) << 8) | (valid[at + 3] & 0xFF)) + 1)) {
            boundaries.add(at);
        }
        for (int length = 0; length < valid.length; length++) {
            ByteBuffer cut = ByteBuffer.wrap(valid, 0, length);
            if (length > 0 && boundaries.contains(length)) {
                assertEquals(length == 28 ? 1 : 2, assertDoesNotThrow(() -> Rtcp.parse(cut)).size());
            } else {
                assertThrows(RtpException.class, () -> Rtcp.parse(cut), "cut to " + length);
            }
        }
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            byte[] mutated = valid.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                mutated[random.nextInt(mutated.length)] = (byte) random.nextInt();
            }
            try {
                Rtcp.parse(ByteBuffer.wrap(mutated));
            } catch (RtpException expected) {
                // malformed input must be reported this way and no other
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }
}
