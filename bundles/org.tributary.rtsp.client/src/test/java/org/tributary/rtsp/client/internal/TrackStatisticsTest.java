package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tributary.rtp.RtcpPacket;

class TrackStatisticsTest {

    private static final long MS = 1_000_000L;

    @Test
    void lossCountsTheGapsAcrossASequenceWrap() {
        TrackStatistics s = new TrackStatistics(90_000);
        long t = 1_000 * MS;
        int[] received = {65530, 65531, 65533, 65535, 0, 1, 4};
        for (int seq : received) {
            s.packet(1, seq, 0, 100, t);
        }
        assertEquals(7, s.packets());
        assertEquals(11, s.expected());
        assertEquals(4, s.lost());
        assertEquals(4, s.lastSequence());

        RtcpPacket.ReportBlock block = s.reportBlock(t);
        assertEquals(4, block.cumulativeLost());
        assertEquals(65536 + 4, block.extendedHighestSequence());
        assertEquals((4 << 8) / 11, block.fractionLost());
    }

    @Test
    void jitterIsZeroForPerfectPacingAndGrowsWithIrregularArrival() {
        TrackStatistics even = new TrackStatistics(90_000);
        TrackStatistics uneven = new TrackStatistics(90_000);
        for (int i = 0; i < 100; i++) {
            long sent = i * 40 * MS;
            even.packet(1, i, i * 3600L, 1000, sent);
            uneven.packet(1, i, i * 3600L, 1000, sent + (i % 2 == 0 ? 0 : 10 * MS));
        }
        assertEquals(0, even.jitter());
        // A.8 settles at about |D| = 10 ms = 900 ticks for alternating 0/10 ms delays.
        assertTrue(uneven.jitter() > 800 && uneven.jitter() <= 900, "jitter " + uneven.jitter());
        assertTrue(Math.abs(uneven.jitterMillis() - uneven.jitter() / 90.0) < 1.0 / 90, "ms " + uneven.jitterMillis());
    }

    @Test
    void ratesCoverTheLastFullSecond() {
        TrackStatistics s = new TrackStatistics(90_000);
        long start = 10_000 * MS;
        for (int i = 0; i < 50; i++) {
            long at = start + i * 40 * MS;
            s.packet(1, i, i * 3600L, 1250, at);
            s.frame(at);
        }
        long now = start + 2_050 * MS;
        assertEquals(25, s.framesLastSecond(now));
        assertEquals(25 * 1250, s.bytesLastSecond(now));
        assertEquals(0, s.framesLastSecond(now + 2_000 * MS), "nothing in the last second");
    }
}
