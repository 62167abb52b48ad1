package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.EndReason;
import org.tributary.api.LiveSource;
import org.tributary.api.Playback;
import org.tributary.api.StreamState;

class LiveStreamTest {

    private final StreamCore core = new StreamCore();

    @AfterEach
    void stop() {
        core.deactivate();
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        return OnDemandPlaybackTest.waitUntil(condition);
    }

    @Test
    void theFeedStartsOnAStarterThreadAtFirstPlayAndStopsWhenTheLastViewerCloses() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(50, 1);
        CountDownLatch gate = new CountDownLatch(1);
        camera.startGate = gate;
        core.bindSource(camera, TestSupport.props("cam", "webcam"));
        assertEquals(StreamState.RUNNING, core.get("cam").orElseThrow().state(), "idle but playable");

        RecordingSink first = new RecordingSink();
        Playback p1 = core.open("cam", first);
        Thread.sleep(50);
        assertEquals(0, camera.starts.get(), "opening does not start the feed");

        // The feed's start is held at the gate until after play returns: a play that waited for it would hang
        // (the bound only ends such a hang).
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> p1.play(Duration.ofSeconds(30)),
                "play does not wait for a slow start");
        assertTrue(waitUntil(() -> camera.starts.get() == 1));
        assertEquals(StreamState.STARTING, core.get("cam").orElseThrow().state());
        assertTrue(camera.startThreads.get(0).startsWith("tributary-starter-"), camera.startThreads.toString());

        gate.countDown();
        assertTrue(first.awaitFrames(5, 30_000));
        assertEquals(StreamState.RUNNING, core.get("cam").orElseThrow().state());
        assertTrue(first.arrivals().stream().allMatch(a -> a.thread().equals("test-camera")),
                "fan-out on the source's thread");

        Playback p2 = core.open("cam", new RecordingSink());
        Duration since = p2.play(null);
        assertTrue(since.toMillis() >= 80, "time since the feed started: " + since);
        assertEquals(2, core.get("cam").orElseThrow().viewers());
        p1.close();
        Thread.sleep(100);
        assertEquals(0, camera.stops.get(), "still watched");
        p2.close();
        assertTrue(waitUntil(() -> camera.stops.get() == 1), "stopped when the last viewer closed");
        assertEquals(1, camera.starts.get());
        assertEquals(StreamState.RUNNING, core.get("cam").orElseThrow().state());
        assertEquals(0, core.get("cam").orElseThrow().viewers());
    }

    @Test
    void framesFanOutToEveryPlayingViewerAndANewViewerJoinsAtTheNextKeyframe() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(100, 5);
        core.bindSource(camera, TestSupport.props("cam", "gstreamer"));
        RecordingSink early = new RecordingSink();
        RecordingSink late = new RecordingSink();
        Playback p1 = core.open("cam", early);
        Playback p2 = core.open("cam", late);
        p1.play(null);
        assertTrue(early.awaitFrames(13, 30_000));
        p2.play(null);
        assertTrue(late.awaitFrames(10, 30_000));
        p1.pause();
        p2.pause();

        List<RecordingSink.Arrival> joined = late.arrivals();
        assertTrue(joined.get(0).frame().keyframe(), "joins at a keyframe: " + joined.get(0).frame());
        assertTrue(early.arrivals().get(0).frame().keyframe());
        long firstShared = joined.get(0).frame().index();
        List<Long> earlyIndices = early.arrivals().stream().map(a -> a.frame().index())
                .filter(i -> i >= firstShared).limit(9).toList();
        List<Long> lateIndices = joined.stream().map(a -> a.frame().index()).limit(9).toList();
        assertEquals(earlyIndices, lateIndices, "both viewers get the same frames");
        assertTrue(core.counters("cam").orElseThrow().framesDelivered() >= 23);

        int paused = early.count();
        Thread.sleep(100);
        assertTrue(early.count() <= paused + 1, "no frames while paused");
        int resumedAt = early.count();
        p1.play(null);
        assertTrue(early.awaitFrames(resumedAt + 3, 30_000));
        assertTrue(early.arrivals().get(resumedAt).frame().keyframe(), "resumes at a keyframe");
    }

    @Test
    void aFailedFeedEndsItsPlaybacksAndTheStreamShowsWhyUntilSomeonePlaysAgain() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(50, 1);
        core.bindSource(camera, TestSupport.props("cam", "webcam"));
        RecordingSink viewer = new RecordingSink();
        core.open("cam", viewer).play(null);
        assertTrue(viewer.awaitFrames(3, 30_000));

        camera.fail("camera unplugged");

        assertTrue(viewer.awaitEnd(30_000));
        assertEquals(EndReason.FAILED, viewer.ends().get(0).reason());
        assertTrue(viewer.ends().get(0).detail().contains("'cam'")
                && viewer.ends().get(0).detail().contains("camera unplugged"), viewer.ends().get(0).detail());
        assertEquals(StreamState.FAILED, core.get("cam").orElseThrow().state());
        assertEquals("camera unplugged", core.get("cam").orElseThrow().reason());
        assertTrue(waitUntil(() -> camera.stops.get() == 1), "the failed feed is released");

        RecordingSink retry = new RecordingSink();
        core.open("cam", retry).play(null);
        assertTrue(retry.awaitFrames(3, 30_000), "a new viewer restarts the feed");
        assertEquals(2, camera.starts.get());
        assertEquals(StreamState.RUNNING, core.get("cam").orElseThrow().state());
        assertEquals(1, viewer.ends().size());
    }

    @Test
    void removingALiveSourceEndsItsViewersAndStopsTheFeed() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(50, 1);
        Map<String, Object> props = TestSupport.props("cam", "webcam");
        core.bindSource(camera, props);
        RecordingSink viewer = new RecordingSink();
        core.open("cam", viewer).play(null);
        assertTrue(viewer.awaitFrames(2, 30_000));

        core.unbindSource(camera, props);

        assertEquals(EndReason.SOURCE_GONE, viewer.ends().get(0).reason());
        assertTrue(core.get("cam").isEmpty());
        assertTrue(waitUntil(() -> camera.stops.get() == 1));
        int count = viewer.count();
        Thread.sleep(100);
        assertTrue(viewer.count() <= count + 1);
    }

    @Test
    void anAlwaysOnSourceRunsWithoutViewersStopsWhenStoppedAndIsNotRestartedInALoopAfterAFailure() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(50, 1);
        Map<String, Object> props = TestSupport.props("cam", "webcam");
        props.put(LiveSource.ON_DEMAND, false);
        core.bindSource(camera, props);

        assertTrue(waitUntil(() -> camera.starts.get() == 1), "started at mount, with no viewer");
        assertTrue(waitUntil(() -> core.statistics("cam").isPresent()
                && core.get("cam").orElseThrow().state() == StreamState.RUNNING));
        RecordingSink viewer = new RecordingSink();
        Playback p = core.open("cam", viewer);
        p.play(null);
        assertTrue(viewer.awaitFrames(3, 30_000));
        p.close();
        Thread.sleep(150);
        assertEquals(0, camera.stops.get(), "the last viewer leaving does not stop it");

        core.stop("cam");
        assertTrue(waitUntil(() -> camera.stops.get() == 1), "an operator's stop stops it");
        core.start("cam");
        assertTrue(waitUntil(() -> camera.starts.get() == 2), "and start runs it again, with no viewer");

        camera.fail("camera unplugged");
        assertTrue(waitUntil(() -> camera.stops.get() == 2), "the failed feed is released");
        Thread.sleep(200);
        assertEquals(2, camera.starts.get(), "a failed always-on source waits; it is not restarted in a loop");
        assertEquals(StreamState.FAILED, core.get("cam").orElseThrow().state());

        core.start("cam");
        assertTrue(waitUntil(() -> camera.starts.get() == 3), "an operator's start runs it again");
    }

    @Test
    void onDemandIsTheDefaultAndTheStringFalseTurnsItOff() throws Exception {
        MemoryLiveSource watched = new MemoryLiveSource(50, 1);
        Map<String, Object> props = TestSupport.props("watched", "webcam");
        props.put(LiveSource.ON_DEMAND, "true");
        core.bindSource(watched, props);
        MemoryLiveSource always = new MemoryLiveSource(50, 1);
        Map<String, Object> alwaysProps = TestSupport.props("always", "gstreamer");
        alwaysProps.put(LiveSource.ON_DEMAND, "false");
        core.bindSource(always, alwaysProps);

        assertTrue(waitUntil(() -> always.starts.get() == 1));
        Thread.sleep(100);
        assertEquals(0, watched.starts.get());
    }

    @Test
    void anIdleStreamWhoseSourceReportsAProblemIsFailedWithItUntilAnOperatorsStartTriesTheFeed() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(50, 1);
        camera.problem = "origin rtsp://cam/live unreachable: DESCRIBE answered 404 Not Found";
        core.bindSource(camera, TestSupport.props("cam", "relay"));

        assertEquals(StreamState.FAILED, core.get("cam").orElseThrow().state());
        assertEquals("origin rtsp://cam/live unreachable: DESCRIBE answered 404 Not Found",
                core.get("cam").orElseThrow().reason());
        Thread.sleep(100);
        assertEquals(0, camera.starts.get(), "nothing starts by itself");

        core.start("cam");
        assertTrue(waitUntil(() -> camera.starts.get() == 1), "the operator's start tries the feed");
        assertTrue(waitUntil(() -> camera.stops.get() == 1), "and stops it after its first frame: nobody watches");
        assertEquals(StreamState.RUNNING, core.get("cam").orElseThrow().state());
        assertEquals("", core.get("cam").orElseThrow().reason());
    }
}
