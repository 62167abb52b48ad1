package org.tributary.loadtool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SessionStatsTest {

    private static final long MS = 1_000_000L;
    private static final int FRAME_TICKS = 3600;

    @Test
    void deviationIsArrivalMinusIdealScheduleRelativeToTheMostPunctualFrame() {
        SessionStats stats = new SessionStats(90_000);
        long start = 5_000 * MS;
        long[] lateness = {3, 0, 7, 1};
        for (int i = 0; i < lateness.length; i++) {
            stats.onPacket(100 + i, 1000 + i * FRAME_TICKS, true, 1400, start + i * 40 * MS + lateness[i] * MS);
        }
        assertArrayEquals(new long[] {3 * MS, 0, 7 * MS, 1 * MS}, stats.deviationsNanos());
    }

    @Test
    void theDeviationOfAFrameIsTakenAtItsMarkerPacket() {
        SessionStats stats = new SessionStats(90_000);
        stats.onPacket(1, 0, false, 1400, 0);
        stats.onPacket(2, 0, true, 700, 4 * MS);
        stats.onPacket(3, FRAME_TICKS, false, 1400, 40 * MS);
        stats.onPacket(4, FRAME_TICKS, true, 700, 50 * MS);
        assertArrayEquals(new long[] {0, 6 * MS}, stats.deviationsNanos());
        assertEquals(2, stats.completeFrames());
        assertEquals(4, stats.packets());
        assertEquals(4200, stats.bytes());
    }

    @Test
    void aSequenceGapCountsLostPacketsAndMakesItsFrameIncomplete() {
        SessionStats stats = new SessionStats(90_000);
        stats.onPacket(10, 0, false, 100, 0);
        stats.onPacket(11, 0, true, 100, 0);
        stats.onPacket(12, FRAME_TICKS, false, 100, 40 * MS);
        stats.onPacket(15, FRAME_TICKS, true, 100, 40 * MS);
        stats.onPacket(16, 2 * FRAME_TICKS, true, 100, 80 * MS);
        assertEquals(2, stats.lost());
        assertEquals(2, stats.completeFrames());
        assertEquals(1, stats.incompleteFrames());
    }

    @Test
    void aLostMarkerLeavesItsFrameIncompleteAndWithoutADeviation() {
        SessionStats stats = new SessionStats(90_000);
        stats.onPacket(1, 0, false, 100, 0);
        stats.onPacket(3, FRAME_TICKS, true, 100, 40 * MS);
        assertEquals(1, stats.lost());
        // The next frame is incomplete too: nothing tells whether the lost packet was its first.
        assertEquals(2, stats.incompleteFrames());
        assertEquals(0, stats.completeFrames());
        assertEquals(1, stats.deviationsNanos().length);
    }

    @Test
    void sequenceAndTimestampWrapAroundAreNotLossOrJumps() {
        SessionStats stats = new SessionStats(90_000);
        long ts = 0xFFFF_FFFFL - FRAME_TICKS + 1;
        stats.onPacket(65534, ts, true, 100, 0);
        stats.onPacket(65535, (ts + FRAME_TICKS) & 0xFFFF_FFFFL, true, 100, 40 * MS);
        stats.onPacket(0, (ts + 2 * FRAME_TICKS) & 0xFFFF_FFFFL, true, 100, 80 * MS);
        stats.onPacket(1, (ts + 3 * FRAME_TICKS) & 0xFFFF_FFFFL, true, 100, 120 * MS);
        assertEquals(0, stats.lost());
        assertEquals(4, stats.completeFrames());
        assertArrayEquals(new long[] {0, 0, 0, 0}, stats.deviationsNanos());
    }

    @Test
    void aReorderedPacketIsNotCountedLost() {
        SessionStats stats = new SessionStats(90_000);
        stats.onPacket(1, 0, false, 100, 0);
        stats.onPacket(3, 0, false, 100, 0);
        stats.onPacket(2, 0, false, 100, 0);
        stats.onPacket(4, 0, true, 100, 0);
        assertEquals(0, stats.lost());
        assertEquals(1, stats.incompleteFrames());
    }

    @Test
    void percentilesUseNearestRank() {
        long[] values = new long[100];
        for (int i = 0; i < values.length; i++) {
            values[values.length - 1 - i] = i + 1;
        }
        Percentiles p = new Percentiles(values);
        assertEquals(50, p.percentile(50));
        assertEquals(99, p.percentile(99));
        assertEquals(100, p.max());
        assertEquals(1, p.percentile(0.5));
        assertEquals(7, new Percentiles(new long[] {7}).percentile(99));
    }

    @Test
    void theRunSummaryMergesEverySessionsFrames() {
        SessionStats a = new SessionStats(90_000);
        a.onPacket(1, 0, true, 1000, 0);
        a.onPacket(2, FRAME_TICKS, true, 1000, 42 * MS);
        SessionStats b = new SessionStats(90_000);
        b.onPacket(7, 0, true, 500, 0);
        b.onPacket(9, FRAME_TICKS, true, 500, 40 * MS);
        RunSummary summary = RunSummary.of(3, 1, java.util.Arrays.asList(a, b, null), 1.5, 0.2);
        assertEquals(3, summary.frames());
        assertEquals(1, summary.incompleteFrames());
        assertEquals(1, summary.lost());
        assertEquals(3000, summary.bytes());
        assertEquals(2.0, summary.deviationMillis(100), 1e-9);
        assertEquals(1.5 / 3e-6, summary.serverCpuPerGigabyte(), 1e-3);
        assertEquals("RESULT sessions=3 frames=3 p50_ms=0.000 p99_ms=2.000 max_ms=2.000 lost=1 gb=0.0000 cpu_s=1.50"
                + " cpu_s_per_gb=500000.00 failed=1 incomplete=1 packets=4 client_cpu_s=0.20", summary.resultLine());
    }

    @Test
    void procStatTicksAreUserPlusSystemTimeEvenWithParenthesesInTheName() throws Exception {
        String stat = "1234 (java (x) y) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 1000 0 0";
        assertEquals(325, ProcessCpu.ticks(stat));
    }

    @Test
    void trackControlUrlsResolveAgainstContentBase() {
        assertEquals("rtsp://h:1/demo/trackID=0", ClientSession.resolve("rtsp://h:1/demo/", "trackID=0"));
        assertEquals("rtsp://h:1/demo/trackID=0", ClientSession.resolve("rtsp://h:1/demo", "trackID=0"));
        assertEquals("rtsp://x/y", ClientSession.resolve("rtsp://h:1/demo/", "rtsp://x/y"));
        assertEquals("rtsp://h:1/demo/", ClientSession.resolve("rtsp://h:1/demo/", "*"));
    }
}
