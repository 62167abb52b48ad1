package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.EndReason;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;

class MountTableTest {

    private StreamCore core = new StreamCore();

    @AfterEach
    void stop() {
        core.deactivate();
    }

    @Test
    void listIsSortedByNameAndTellsTypeStateAndViewers() throws Exception {
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("zebra", "file"));
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("/alpha", "file"));
        core.bindSource(new MemoryLiveSource(25, 1), TestSupport.props("camera", "webcam"));
        Playback one = core.open("alpha", new RecordingSink());
        Playback two = core.open("/alpha", new RecordingSink());

        List<StreamInfo> list = core.list();
        assertEquals(List.of("alpha", "camera", "zebra"), list.stream().map(StreamInfo::name).toList());
        StreamInfo alpha = list.get(0);
        assertEquals("file", alpha.type());
        assertEquals(StreamState.RUNNING, alpha.state());
        assertEquals(2, alpha.viewers());
        assertEquals("webcam", list.get(1).type());
        assertEquals(0, list.get(2).viewers());
        assertEquals(alpha, core.get("alpha").orElseThrow());
        one.close();
        two.close();
        assertEquals(0, core.get("alpha").orElseThrow().viewers());
    }

    @Test
    void anUnknownNameIsNotFound() {
        assertTrue(core.get("nothing").isEmpty());
        StreamException e = assertThrows(StreamException.class, () -> core.open("nothing", new RecordingSink()));
        assertEquals(StreamException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().contains("'nothing'"));
    }

    @Test
    void aRemovedSourceEndsItsPlaybacksOnceAndLeavesTheTable() throws Exception {
        MemorySource source = new MemorySource(500, 25, 1);
        Map<String, Object> props = TestSupport.props("demo", "file");
        core.bindSource(source, props);
        RecordingSink playing = new RecordingSink();
        RecordingSink paused = new RecordingSink();
        Playback p1 = core.open("demo", playing);
        Playback p2 = core.open("demo", paused);
        p1.play(null);
        assertTrue(playing.awaitFrames(2, 30_000));

        core.unbindSource(source, props);

        for (RecordingSink sink : List.of(playing, paused)) {
            assertEquals(1, sink.ends().size());
            assertEquals(EndReason.SOURCE_GONE, sink.ends().get(0).reason());
            assertEquals("stream 'demo' is no longer available: its source was removed", sink.ends().get(0).detail());
        }
        assertTrue(core.get("demo").isEmpty());
        assertEquals(StreamException.Kind.NOT_FOUND,
                assertThrows(StreamException.class, () -> core.open("demo", new RecordingSink())).kind());
        int count = playing.count();
        Thread.sleep(120);
        assertTrue(playing.count() <= count + 1);
        assertTrue(OnDemandPlaybackTest.waitUntil(() -> source.closed.get() == 2), "both readers released");
        p1.close();
        p2.close();
        assertEquals(1, playing.ends().size());
    }

    @Test
    void theHigherRankingWinsAndTheOtherTakesOverWhenItLeaves() throws Exception {
        MemorySource low = new MemorySource(10, 25, 1);
        MemorySource high = new MemorySource(10, 25, 1);
        MemorySource sameRankLaterId = new MemorySource(10, 25, 1);
        Map<String, Object> lowProps = TestSupport.props("demo", "low", 0, 1);
        Map<String, Object> highProps = TestSupport.props("demo", "high", 5, 2);
        Map<String, Object> laterProps = TestSupport.props("demo", "later", 0, 3);
        core.bindSource(low, lowProps);
        core.bindSource(sameRankLaterId, laterProps);
        assertEquals("low", core.get("demo").orElseThrow().type(), "equal ranking: the lower service id wins");

        RecordingSink viewer = new RecordingSink();
        core.open("demo", viewer);
        core.bindSource(high, highProps);
        assertEquals("high", core.get("demo").orElseThrow().type());
        assertEquals(EndReason.SOURCE_GONE, viewer.ends().get(0).reason());

        core.unbindSource(high, highProps);
        assertEquals("low", core.get("demo").orElseThrow().type());
        core.unbindSource(low, lowProps);
        assertEquals("later", core.get("demo").orElseThrow().type());
        core.open("demo", new RecordingSink());
        assertEquals(1, sameRankLaterId.opened.get());
        core.unbindSource(sameRankLaterId, laterProps);
        assertTrue(core.get("demo").isEmpty());
    }

    @Test
    void aRenamedSourceMovesToItsNewNameAndItsViewersAreTold() throws Exception {
        MemorySource source = new MemorySource(10, 25, 1);
        Map<String, Object> props = TestSupport.props("old", "file", 0, 7);
        core.bindSource(source, props);
        RecordingSink viewer = new RecordingSink();
        core.open("old", viewer);
        core.updatedSource(source, props);
        assertTrue(viewer.ends().isEmpty(), "an unchanged name disturbs nobody");

        Map<String, Object> renamed = TestSupport.props("new", "file", 0, 7);
        core.updatedSource(source, renamed);

        assertTrue(core.get("old").isEmpty());
        assertEquals("new", core.get("new").orElseThrow().name());
        assertEquals(EndReason.SOURCE_GONE, viewer.ends().get(0).reason());
        core.unbindSource(source, renamed);
        assertTrue(core.list().isEmpty());
    }

    @Test
    void deactivationStopsEveryPlaybackAndLeavesNoThreadBehind() throws Exception {
        core.deactivate();
        assertTrue(TestSupport.tributaryThreads().isEmpty(), "left from earlier tests: " + TestSupport.tributaryThreads());
        core = new StreamCore();
        core.bindSource(new MemorySource(500, 25, 1), TestSupport.props("file", "file"));
        MemoryLiveSource camera = new MemoryLiveSource(25, 1);
        core.bindSource(camera, TestSupport.props("cam", "webcam"));
        RecordingSink fileViewer = new RecordingSink();
        RecordingSink camViewer = new RecordingSink();
        core.open("file", fileViewer).play(null);
        core.open("cam", camViewer).play(null);
        assertTrue(fileViewer.awaitFrames(2, 30_000));
        assertTrue(camViewer.awaitFrames(2, 30_000));

        core.deactivate();

        for (RecordingSink sink : List.of(fileViewer, camViewer)) {
            assertEquals(1, sink.ends().size());
            assertEquals(EndReason.STOPPED, sink.ends().get(0).reason());
            assertEquals("stream service stopped", sink.ends().get(0).detail());
        }
        assertEquals(1, camera.stops.get(), "the live feed was stopped");
        assertTrue(TestSupport.tributaryThreads().isEmpty(), "threads left: " + TestSupport.tributaryThreads());
        assertEquals(StreamException.Kind.UNAVAILABLE,
                assertThrows(StreamException.class, () -> core.open("file", new RecordingSink())).kind());
    }
}
