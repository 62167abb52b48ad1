package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
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

    /**
     * Asserts that no frame arrived before its time: the clock starts at the first frame, which goes out no
     * earlier than {@code playedAt}, so frame {@code i} of a playback at {@code periodNanos} is due no earlier
     * than {@code playedAt + i * periodNanos}. A slow machine only delays frames; it cannot make one early.
     */
    private static void assertNoneEarly(List<RecordingSink.Arrival> arrivals, long playedAt, long periodNanos) {
        long firstTs = arrivals.get(0).frame().timestampNanos();
        for (RecordingSink.Arrival a : arrivals) {
            long due = playedAt + a.frame().timestampNanos() - firstTs;
            assertTrue(a.nanos() >= due, "frame " + a.frame().index() + " arrived " + (due - a.nanos()) / 1e6
                    + " ms before its time");
        }
    }

    @Test
    void fiftyFramesAt25FpsArriveInOrderOnThePacerAndNoneBeforeItsTime() throws Exception {
        mount("clip", 50, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        long playedAt = System.nanoTime();
        assertEquals(Duration.ZERO, playback.play(null));

        assertTrue(sink.awaitEnd(60_000), "end of media");
        List<RecordingSink.Arrival> arrivals = sink.arrivals();
        assertEquals(50, arrivals.size());
        for (int i = 0; i < 50; i++) {
            assertEquals(i, arrivals.get(i).frame().index(), "frames in order");
            assertEquals("tributary-pacer", arrivals.get(i).thread());
        }
        // Paced, not burst: the 50 frames take at least 49 periods. How close to their deadlines they arrive is
        // measured by tools/benchmarks' PacingBenchmark, not asserted here.
        assertNoneEarly(arrivals, playedAt, 40 * MS);
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
        assertTrue(sink.awaitFrames(5, 30_000));
        playback.pause();
        int atPause = sink.count();
        Duration position = playback.position();
        Thread.sleep(500);
        // At most the one frame the pacer had taken when pause() ran.
        assertTrue(sink.count() <= atPause + 1, "frames after pause: " + (sink.count() - atPause));
        int settled = sink.count();
        Thread.sleep(120);
        assertEquals(settled, sink.count(), "nothing more while paused");
        long last = sink.arrivals().get(settled - 1).frame().index();
        assertEquals(Duration.ofMillis(last * 40), playback.position());
        assertTrue(position.compareTo(playback.position()) <= 0);

        long resumedAt = System.nanoTime();
        Duration resumed = playback.play(null);
        assertEquals(Duration.ofMillis((last + 1) * 40), resumed);
        assertTrue(sink.awaitFrames(settled + 3, 30_000));
        List<RecordingSink.Arrival> arrivals = sink.arrivals();
        for (int i = 0; i < arrivals.size(); i++) {
            assertEquals(i, arrivals.get(i).frame().index(), "no frame lost or repeated across the pause");
        }
        // The clock restarts at resume: the frames after it are paced, not burst to catch up with the pause.
        assertNoneEarly(arrivals.subList(settled, arrivals.size()), resumedAt, 40 * MS);
        playback.close();
    }

    @Test
    void playWithPositionStartsAtTheKeyframeAtOrBeforeIt() throws Exception {
        mount("clip", 100, 10);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        Duration start = playback.play(Duration.ofMillis(1_000));
        assertEquals(Duration.ofMillis(800), start, "frame 25 is at 1 s, its keyframe is frame 20");
        assertTrue(sink.awaitFrames(3, 30_000));
        assertEquals(20, sink.arrivals().get(0).frame().index());
        assertEquals(21, sink.arrivals().get(1).frame().index());

        int before = sink.count();
        Duration back = playback.play(Duration.ZERO);
        assertEquals(Duration.ZERO, back);
        assertTrue(sink.awaitFrames(before + 3, 30_000));
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
        assertTrue(sink.awaitEnd(30_000));
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
        assertTrue(sink.awaitEnd(30_000));
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
        long playedAt = System.nanoTime();
        playback.play(null);
        assertTrue(sink.awaitFrames(12, 30_000));
        playback.close();
        List<RecordingSink.Arrival> arrivals = sink.arrivals();
        // Two frames are read ahead; frames 2 to 11 take 60 ms each to read, one after the other, so frame 11
        // cannot arrive before 600 ms, where the clock alone would send it at 440 ms.
        long eleventh = arrivals.get(11).nanos() - playedAt;
        assertTrue(eleventh >= 600 * MS, "paced by the reader, not the clock: frame 11 at " + eleventh / 1e6 + " ms");
        // Frame k (k >= 4) is read at least 20k - 60 ms after its deadline, more than the 10 ms that counts.
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
        long playedAt = System.nanoTime();
        playback.play(null);
        assertTrue(sink.awaitFrames(20, 60_000));
        playback.close();
        List<RecordingSink.Arrival> a = sink.arrivals();
        for (int i = 0; i < 20; i++) {
            assertEquals(i, a.get(i).frame().index(), "frames in order");
        }
        // Frame 10's read starts once frame 8 has gone out (two frames are read ahead), at 320 ms or later,
        // and takes 1.3 s. The clock restarts at frame 10, so frame 19 is due 9 periods after it: no earlier
        // than 320 + 1300 + 360 ms. Caught up on the old clock, frames 11-19 would follow frame 10 at once.
        long nineteenth = a.get(19).nanos() - playedAt;
        assertTrue(nineteenth >= 1_980 * MS, "paced after the stall, not burst: frame 19 at " + nineteenth / 1e6
                + " ms");
        // A busy machine may stall the pacer for more than a second too.
        assertTrue(core.statistics("stall").orElseThrow().clockRestarts() >= 1);
        assertTrue(core.statistics("no-such-stream").isEmpty());
    }

    @Test
    void closeIsIdempotentReleasesTheReaderAndStopsCallbacks() throws Exception {
        MemorySource source = mount("clip", 100, 1);
        RecordingSink sink = new RecordingSink();
        Playback playback = core.open("clip", sink);
        playback.play(null);
        assertTrue(sink.awaitFrames(3, 30_000));
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
    void aHundredPlaybacksShareOnePacerThreadAndDeliverEveryFrameInOrder() throws Exception {
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
        long playedAt = System.nanoTime();
        for (Playback p : playbacks) {
            p.play(null);
        }
        for (RecordingSink sink : sinks) {
            assertTrue(sink.awaitEnd(120_000), "every playback ends");
        }
        // Lateness, drift and the pacer's CPU with many playbacks are measured by tools/benchmarks'
        // PacingBenchmark.
        for (RecordingSink sink : sinks) {
            List<RecordingSink.Arrival> arrivals = sink.arrivals();
            assertEquals(frames, arrivals.size());
            for (int i = 0; i < frames; i++) {
                assertEquals(i, arrivals.get(i).frame().index(), "frames in order");
            }
            assertTrue(arrivals.stream().allMatch(a -> a.thread().equals("tributary-pacer")));
            assertNoneEarly(arrivals, playedAt, 40 * MS);
            assertEquals(List.of(EndReason.END_OF_MEDIA), sink.ends().stream().map(RecordingSink.End::reason)
                    .toList());
        }
        for (Playback p : playbacks) {
            p.close();
        }
    }

    static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
