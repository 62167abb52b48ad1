package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.EndReason;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;

class OnDemandPlaybackTest {

    private static final long MS = 1_000_000L;

    private final StreamCore core = new StreamCore();

    @AfterEach
    void stop() {
        core.deactivate();
    }

    private MemorySource mount(String name, int frames, int keyEvery) {
        MemorySource source = new MemorySource(frames, 25, keyEvery);
        core.bindSource(source, TestSupport.props(name, "memory"));
        return source;
    }

    /** Lateness of each arrival against the deadline counted from the first arrival. */
    private static List<Long> lateness(List<RecordingSink.Arrival> arrivals, long periodNanos) {
        long start = arrivals.get(0).nanos();
        long firstTs = arrivals.get(0).frame().timestampNanos();
        List<Long> result = new ArrayList<>();
        for (RecordingSink.Arrival a : arrivals) {
            result.add(a.nanos() - (start + a.frame().timestampNanos() - firstTs));
        }
        return result;
    }

    @Test
    void fiftyFramesAt25FpsArriveOnTheirDeadlinesWithoutDrift() throws Exception {
        mount("clip", 50, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        assertEquals(Duration.ZERO, playback.play(null));

        assertTrue(sink.awaitEnd(5_000), "end of media within 5 s");
        List<RecordingSink.Arrival> arrivals = sink.arrivals();
        assertEquals(50, arrivals.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, arrivals.get(i).frame().index(), "frames in order");
            assertEquals("tributary-pacer", arrivals.get(i).thread());
        }
        List<Long> lateness = lateness(arrivals, 40 * MS);
        assertTrue(TestSupport.median(lateness) < 5 * MS, "median lateness " + TestSupport.median(lateness) / 1e6 + " ms");
        // Measured against the first arrival, which may itself be a little late: only gross earliness fails.
        assertTrue(lateness.stream().allMatch(l -> l > -15 * MS), "no frame early: " + lateness);
        long last = arrivals.get(49).nanos() - (arrivals.get(0).nanos() + 49 * 40 * MS);
        assertTrue(Math.abs(last) < 15 * MS, "50th frame off by " + last / 1e6 + " ms");
        assertEquals(List.of(EndReason.END_OF_MEDIA), sink.ends().stream().map(RecordingSink.End::reason).toList());
        assertEquals(Duration.ofMillis(49 * 40), playback.position());
        assertEquals(50, core.statistics("clip").orElseThrow().framesDelivered());
        playback.close();
    }

    @Test
    void pauseStopsDeliveryAndPlayResumesAtTheNextFrame() throws Exception {
        mount("clip", 100, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        playback.play(null);
        assertTrue(sink.awaitFrames(5, 2_000));
        playback.pause();
        int atPause = sink.count();
        Duration position = playback.position();
        Thread.sleep(200);
        // At most the one frame the pacer had taken when pause() ran.
        assertTrue(sink.count() <= atPause + 1, "frames after pause: " + (sink.count() - atPause));
        int settled = sink.count();
        Thread.sleep(120);
        assertEquals(settled, sink.count(), "nothing more while paused");
        long last = sink.arrivals().get(settled - 1).frame().index();
        assertEquals(Duration.ofMillis(last * 40), playback.position());
        assertTrue(position.compareTo(playback.position()) <= 0);

        Duration resumed = playback.play(null);
        assertEquals(Duration.ofMillis((last + 1) * 40), resumed);
        assertTrue(sink.awaitFrames(settled + 3, 2_000));
        List<RecordingSink.Arrival> arrivals = sink.arrivals();
        for (int i = 0; i < arrivals.size(); i++) {
            assertEquals(i, arrivals.get(i).frame().index(), "no frame lost or repeated across the pause");
        }
        // The clock restarts at resume: the frames after it are paced, not burst to catch up with the pause.
        long gap = arrivals.get(settled + 1).nanos() - arrivals.get(settled).nanos();
        assertTrue(gap > 15 * MS, "paced after resume: " + gap / 1e6 + " ms");
        playback.close();
    }

    @Test
    void playWithPositionStartsAtTheKeyframeAtOrBeforeIt() throws Exception {
        mount("clip", 100, 10);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        Duration start = playback.play(Duration.ofMillis(1_000));
        assertEquals(Duration.ofMillis(800), start, "frame 25 is at 1 s, its keyframe is frame 20");
        assertTrue(sink.awaitFrames(3, 2_000));
        assertEquals(20, sink.arrivals().get(0).frame().index());
        assertEquals(21, sink.arrivals().get(1).frame().index());

        int before = sink.count();
        Duration back = playback.play(Duration.ZERO);
        assertEquals(Duration.ZERO, back);
        assertTrue(sink.awaitFrames(before + 3, 2_000));
        // Frame 22 may have been in flight during the seek; everything after it starts again at 0.
        List<Long> afterSeek = sink.arrivals().subList(before, sink.count()).stream().map(a -> a.frame().index())
                .filter(i -> i < 20).limit(2).toList();
        assertEquals(List.of(0L, 1L), afterSeek);
        playback.close();
    }

    @Test
    void aPositionBeyondTheEndIsRejected() throws Exception {
        mount("clip", 50, 1);
        Playback playback = core.open("clip", new RecordingSink());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> playback.play(Duration.ofSeconds(3)));
        assertTrue(e.getMessage().contains("clip"), e.getMessage());
        playback.close();
    }

    @Test
    void endOfMediaIsReportedOnceAfterTheLastFrame() throws Exception {
        mount("short", 5, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("short", sink);
        playback.play(null);
        assertTrue(sink.awaitEnd(2_000));
        Thread.sleep(100);
        assertEquals(5, sink.count());
        assertEquals(1, sink.ends().size());
        assertEquals(EndReason.END_OF_MEDIA, sink.ends().get(0).reason());
        assertThrows(IllegalStateException.class, () -> playback.play(null));
        assertEquals(0, core.get("short").orElseThrow().viewers());
        playback.close();
        assertEquals(1, sink.ends().size());
    }

    @Test
    void aReadErrorEndsThePlaybackWithFailedAndTheReadersMessage() throws Exception {
        MemorySource source = mount("damaged", 50, 1);
        source.failAt = 3;
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("damaged", sink);
        playback.play(null);
        assertTrue(sink.awaitEnd(2_000));
        assertEquals(3, sink.count(), "the frames before the damage are delivered");
        assertEquals(EndReason.FAILED, sink.ends().get(0).reason());
        assertTrue(sink.ends().get(0).detail().contains("frame 3 is damaged"), sink.ends().get(0).detail());
        assertTrue(sink.ends().get(0).detail().contains("damaged'"), sink.ends().get(0).detail());
        playback.close();
    }

    @Test
    void framesReadTooSlowlyAreDeliveredAsSoonAsReadAndCountedLate() throws Exception {
        MemorySource source = mount("slow", 30, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("slow", sink);
        assertTrue(waitUntil(() -> source.opened.get() == 1));
        Thread.sleep(50); // the first frames are read ahead at full speed
        source.readDelayMillis = 60;
        playback.play(null);
        assertTrue(sink.awaitFrames(12, 3_000));
        playback.close();
        List<RecordingSink.Arrival> arrivals = sink.arrivals();
        long gap = arrivals.get(10).nanos() - arrivals.get(9).nanos();
        assertTrue(gap > 45 * MS, "paced by the reader, not the clock: " + gap / 1e6 + " ms");
        long late = core.statistics("slow").orElseThrow().framesLate();
        assertTrue(late >= 5, "late frames counted: " + late);
    }

    @Test
    void aStallOfMoreThanASecondRestartsTheClockInsteadOfBursting() throws Exception {
        MemorySource source = mount("stall", 60, 1);
        source.stallAt = 10;
        source.stallMillis = 1_300;
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("stall", sink);
        playback.play(null);
        assertTrue(sink.awaitFrames(20, 5_000));
        playback.close();
        List<RecordingSink.Arrival> a = sink.arrivals();
        long stall = a.get(10).nanos() - a.get(9).nanos();
        assertTrue(stall > 1_000 * MS, "the stall shows: " + stall / 1e6 + " ms");
        for (int i = 12; i < 20; i++) {
            long gap = a.get(i).nanos() - a.get(i - 1).nanos();
            assertTrue(gap > 15 * MS, "frame " + i + " paced after the stall, not burst: " + gap / 1e6 + " ms");
        }
        assertEquals(1, core.statistics("stall").orElseThrow().clockRestarts());
        assertTrue(core.statistics("no-such-stream").isEmpty());
    }

    @Test
    void closeIsIdempotentReleasesTheReaderAndStopsCallbacks() throws Exception {
        MemorySource source = mount("clip", 100, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        playback.play(null);
        assertTrue(sink.awaitFrames(3, 2_000));
        assertEquals(1, core.get("clip").orElseThrow().viewers());
        playback.close();
        playback.close();
        int atClose = sink.count();
        Thread.sleep(150);
        assertTrue(sink.count() <= atClose + 1, "at most the frame in flight");
        assertTrue(sink.ends().isEmpty(), "no onEnd after close");
        assertTrue(waitUntil(() -> source.closed.get() == 1), "reader closed");
        assertEquals(0, core.get("clip").orElseThrow().viewers());
        assertThrows(IllegalStateException.class, () -> playback.play(null));
    }

    @Test
    void anUnreadableSourceIsUnavailableWithTheStreamAndTheCause() {
        MemorySource source = mount("broken", 10, 1);
        source.openFailure = new IOException("broken.mjpeg: not a JPEG stream");
        StreamException e = assertThrows(StreamException.class, () -> core.open("broken", new RecordingSink()));
        assertEquals(StreamException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("not a JPEG stream"), e.getMessage());
    }

    @Test
    void aSourceThatKnowsItCannotPlayIsListedFailedWithItsReasonAndStillOpensWhenItCan() throws Exception {
        MemorySource source = mount("missing", 10, 1);
        assertEquals(StreamState.RUNNING, core.get("missing").orElseThrow().state());

        source.problem = "/media/missing.mjpeg: cannot read: no such file";
        StreamInfo failed = core.get("missing").orElseThrow();
        assertEquals(StreamState.FAILED, failed.state());
        assertEquals("/media/missing.mjpeg: cannot read: no such file", failed.reason());

        source.problem = "";
        assertEquals(StreamState.RUNNING, core.get("missing").orElseThrow().state());
        assertEquals("", core.get("missing").orElseThrow().reason());
        core.open("missing", new RecordingSink()).close();
    }

    @Test
    void aHundredPlaybacksShareOnePacerThreadAndKeepTheirDeadlines() throws Exception {
        int viewers = 100;
        int frames = 75;
        mount("many", frames, 1);
        List<RecordingSink> sinks = new ArrayList<>();
        List<Playback> playbacks = new ArrayList<>();
        for (int i = 0; i < viewers; i++) {
            RecordingSink sink = new RecordingSink();
            sinks.add(sink);
            playbacks.add(core.open("many", sink));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long pacerId = core.pacer().thread().getId();
        long cpu0 = mx.getThreadCpuTime(pacerId);
        long wall0 = System.nanoTime();
        for (Playback p : playbacks) {
            p.play(null);
        }
        for (RecordingSink sink : sinks) {
            assertTrue(sink.awaitEnd(10_000), "every playback ends");
        }
        long cpu = mx.getThreadCpuTime(pacerId) - cpu0;
        long wall = System.nanoTime() - wall0;
        List<Long> all = new ArrayList<>();
        List<Long> lastFrameError = new ArrayList<>();
        for (RecordingSink sink : sinks) {
            List<RecordingSink.Arrival> arrivals = sink.arrivals();
            assertEquals(frames, arrivals.size());
            assertTrue(arrivals.stream().allMatch(a -> a.thread().equals("tributary-pacer")));
            all.addAll(lateness(arrivals, 40 * MS));
            lastFrameError.add(Math.abs(arrivals.get(frames - 1).nanos()
                    - (arrivals.get(0).nanos() + (frames - 1) * 40 * MS)));
        }
        long median = TestSupport.median(all);
        long p99 = TestSupport.percentile(all, 99);
        System.out.printf("%d playbacks x %d frames at 25 fps: lateness median %.3f ms, p99 %.3f ms, max %.3f ms; "
                + "last-frame drift median %.3f ms; pacer CPU %.1f ms over %.0f ms (%.2f %%)%n", viewers, frames,
                median / 1e6, p99 / 1e6, TestSupport.percentile(all, 100) / 1e6,
                TestSupport.median(lastFrameError) / 1e6, cpu / 1e6, wall / 1e6, 100.0 * cpu / wall);
        assertTrue(median < 5 * MS, "median lateness " + median / 1e6 + " ms");
        assertTrue(p99 < 50 * MS, "p99 lateness " + p99 / 1e6 + " ms");
        assertTrue(TestSupport.median(lastFrameError) < 15 * MS, "no drift");
        for (Playback p : playbacks) {
            p.close();
        }
    }

    static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 2_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
