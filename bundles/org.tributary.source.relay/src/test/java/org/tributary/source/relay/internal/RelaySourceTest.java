package org.tributary.source.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtsp.client.GstRtspServer;
import org.tributary.rtsp.client.LowerTransport;

/** The relay against a real origin, GStreamer's RTSP server, over TCP and UDP. */
class RelaySourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final AtomicInteger recoveries = new AtomicInteger();
    private GstRtspServer origin;
    private RelaySource source;

    @AfterEach
    void cleanUp() throws Exception {
        if (source != null) {
            source.close();
        }
        if (origin != null) {
            origin.close();
        }
        awaitNoThreadOfTheRelay();
    }

    @Test
    void jpegFramesFlowOverTcpWithIncreasingTimestampsAndTheSizeFromTheOrigin() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE);
        source = relay(origin.url(), LowerTransport.TCP, true);
        RecordingSink sink = new RecordingSink();

        source.start(sink);
        sink.awaitFrames(50, WAIT);

        List<Frame> frames = sink.frames();
        assertFramesFollowEachOther(frames, Codec.JPEG);
        assertTrue(frames.stream().allMatch(Frame::keyframe), "every JPEG frame is a keyframe");
        MediaInfo info = source.info();
        assertEquals(Codec.JPEG, info.codec());
        assertEquals(320, info.width());
        assertEquals(240, info.height());
        assertTrue(info.live());
        assertEquals(25, info.frameRate(), 1, "the frame rate measured from the origin's timestamps");
        assertFalse(sink.end.isDone());
    }

    @Test
    void h264FramesFlowOverUdpStartingAtAKeyframeWithTheParameterSetsOfTheSdp() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE_H264);
        source = relay(origin.url(), LowerTransport.UDP, true);
        source.open();
        awaitInfo(Codec.H264);

        MediaInfo described = source.info();
        assertEquals(2, described.parameterSets().size(), "SPS and PPS from sprop-parameter-sets, before any viewer");
        assertEquals(320, described.width(), "the size from the SPS");
        assertEquals(240, described.height());

        RecordingSink sink = new RecordingSink();
        source.start(sink);
        sink.awaitFrames(60, WAIT);

        List<Frame> frames = sink.frames();
        assertTrue(frames.get(0).keyframe(), "the first frame is an IDR");
        assertFramesFollowEachOther(frames, Codec.H264);
        for (Frame f : frames) {
            assertEquals(AnnexB.containsIdr(f.data()), f.keyframe(), "keyframe flag of " + f);
        }
    }

    @Test
    void killingTheOriginEndsTheFeedFailedNamingItAndTheStreamRecoversWhenItReturns() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE);
        source = relay(origin.url(), LowerTransport.TCP, true);
        RecordingSink first = new RecordingSink();
        source.start(first);
        first.awaitFrames(10, WAIT);

        origin.kill();

        RecordingSink.End end = first.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(EndReason.FAILED, end.reason());
        assertTrue(end.detail().startsWith("origin " + origin.url() + " unreachable: "), end.detail());
        source.stop();
        assertEquals(0, recoveries.get(), "no recovery while the origin is away");

        origin.restart();
        awaitRecoveries(1);

        RecordingSink second = new RecordingSink();
        source.start(second);
        second.awaitFrames(10, WAIT);
        assertFramesFollowEachOther(second.frames(), Codec.JPEG);
    }

    @Test
    void aConnectionLostOnTheWayIsReconnectedAtOnceAndTimestampsGoOnIncreasing() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE);
        try (TcpProxy proxy = new TcpProxy(origin.port())) {
            source = relay("rtsp://127.0.0.1:" + proxy.port() + "/test", LowerTransport.TCP, true);
            RecordingSink sink = new RecordingSink();
            source.start(sink);
            sink.awaitFrames(10, WAIT);

            proxy.cut();
            int before = sink.count();
            sink.awaitFrames(before + 25, WAIT);

            assertFalse(sink.end.isDone(), "the viewers never noticed: " + sink.end.getNow(null));
            assertFramesFollowEachOther(sink.frames(), Codec.JPEG);
            assertEquals(0, recoveries.get(), "nothing had failed");
        }
    }

    @Test
    void aStartWhileTheOriginIsDownFailsAtOnceNamingTheOrigin() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE);
        String url = origin.url();
        origin.kill();
        source = relay(url, LowerTransport.TCP, true);
        RecordingSink sink = new RecordingSink();

        source.start(sink);
        RecordingSink.End end = sink.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertEquals(EndReason.FAILED, end.reason());
        // The refusal itself is reported (not a timeout after retries), and nothing was recovered.
        assertEquals("origin " + url + " unreachable: connection refused", end.detail());
        assertEquals(0, recoveries.get());
        source.stop();
    }

    @Test
    void pulledAlwaysANewViewerStartsAtOnceFromTheLastKeyframe() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE_H264);
        source = relay(origin.url(), LowerTransport.TCP, false);
        source.open();
        awaitInfo(Codec.H264);
        awaitKeptFrames();

        // The kept frames, from the last keyframe on, are handed over within start(), before it returns: the
        // viewer does not wait for the origin's next keyframe.
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        int atOnce = sink.count();

        assertTrue(atOnce > 0, "no kept frame was handed over by start()");
        assertTrue(sink.frames().get(0).keyframe());
        sink.awaitFrames(sink.count() + 25, WAIT);
        assertFramesFollowEachOther(sink.frames(), Codec.H264);
        source.stop();
        assertTrue(threadsOfTheRelay().stream().anyMatch(n -> n.startsWith("tributary-relay-")),
                "still pulling after the viewer left");
    }

    @Test
    void stopOnDemandLeavesNoThreadOfTheRelayOrItsClient() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE);
        source = relay(origin.url(), LowerTransport.UDP, true);
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        sink.awaitFrames(5, WAIT);
        assertFalse(threadsOfTheRelay().isEmpty());

        source.stop();

        assertEquals(List.of(), threadsOfTheRelay(), "threads left right after stop");
        int count = sink.count();
        Thread.sleep(300);
        assertEquals(count, sink.count(), "no frame after stop");
        assertFalse(sink.end.isDone(), "stop sends no onEnd");
    }

    @Test
    void aPathTheOriginDoesNotHaveIsReportedAsTheSourcesProblemBeforeAnyViewer() throws Exception {
        origin = GstRtspServer.start(GstRtspServer.LIVE_H264);
        String url = origin.url();
        String missing = url.substring(0, url.lastIndexOf('/') + 1) + "no-such-path";
        source = relay(missing, LowerTransport.TCP, true);
        assertEquals("", source.problem(), "nothing known before the first attempt");
        source.open();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (source.problem().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "no problem reported");
            Thread.sleep(20);
        }
        assertTrue(source.problem().startsWith("origin " + missing + " unreachable: "), source.problem());
        assertTrue(source.problem().contains("404"), source.problem());
    }

    private RelaySource relay(String url, LowerTransport transport, boolean onDemand) {
        return new RelaySource(new RelaySettings("relayed", url, transport, onDemand, 1, 5),
                recoveries::incrementAndGet);
    }

    private void awaitInfo(Codec codec) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (source.info().codec() != codec || source.info().parameterSets().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "the origin was not described: " + source.info());
            Thread.sleep(20);
        }
    }

    /** Waits until the relay keeps a group of pictures: a probe viewer gets frames within start(). */
    private void awaitKeptFrames() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            RecordingSink probe = new RecordingSink();
            source.start(probe);
            int kept = probe.count();
            source.stop();
            if (kept > 0) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "the relay kept no keyframe of the origin");
            Thread.sleep(100);
        }
    }

    private void awaitRecoveries(int count) throws InterruptedException {
        // The origin came back after a failure: attempts at 1 s, 2 s, 4 s after it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (recoveries.get() < count) {
            assertTrue(System.nanoTime() < deadline, "the relay did not notice that the origin is back");
            Thread.sleep(50);
        }
    }

    private static void assertFramesFollowEachOther(List<Frame> frames, Codec codec) {
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            assertEquals(codec, f.codec());
            if (i > 0) {
                Frame before = frames.get(i - 1);
                assertEquals(before.index() + 1, f.index(), "indexes count up");
                long step = f.timestampNanos() - before.timestampNanos();
                assertTrue(step > 0 && step < TimeUnit.SECONDS.toNanos(5), "timestamps increase: " + before + " then " + f);
            }
        }
    }

    private static List<String> threadsOfTheRelay() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tributary-relay-") || n.startsWith("tributary-rtsp-client-")).sorted()
                .toList();
    }

    private static void awaitNoThreadOfTheRelay() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!threadsOfTheRelay().isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "threads left after close: " + threadsOfTheRelay());
            Thread.sleep(20);
        }
    }
}
