package org.tributary.source.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tributary.source.gstreamer.internal.Pipelines.H264;
import static org.tributary.source.gstreamer.internal.Pipelines.JPEG_60;
import static org.tributary.source.gstreamer.internal.Pipelines.ourThreads;
import static org.tributary.source.gstreamer.internal.Pipelines.settings;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.NalUnit;
import org.tributary.source.gstreamer.internal.SourceSettings.EosAction;

/** Runs real GStreamer pipelines through {@link PipelineSource} as the stream core would. */
class PipelineSourceTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private final List<PipelineSource> sources = new ArrayList<>();

    @AfterEach
    void closeSources() {
        sources.forEach(PipelineSource::close);
    }

    private PipelineSource source(SourceSettings settings) {
        PipelineSource source = new PipelineSource(settings);
        sources.add(source);
        return source;
    }

    @Test
    void jpegPipelineDeliversDecodableFramesWithIncreasingTimestamps() throws Exception {
        PipelineSource source = source(settings(JPEG_60, Codec.JPEG, EosAction.END, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT), "the 60-buffer pipeline did not end");
        assertEquals(EndReason.END_OF_MEDIA, sink.reason(), sink.detail());
        List<Frame> frames = sink.frames();
        assertEquals(60, frames.size());
        long previous = -1;
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            assertEquals(Codec.JPEG, frame.codec());
            assertEquals(i, frame.index());
            assertTrue(frame.keyframe());
            assertTrue(frame.timestampNanos() > previous, "timestamps must increase: " + frame);
            previous = frame.timestampNanos();
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes(frame.data())));
            assertNotNull(image, "frame " + i + " is not a decodable JPEG");
            assertEquals(320, image.getWidth());
            assertEquals(240, image.getHeight());
        }
        assertEquals(0, frames.get(0).timestampNanos());
        // 60 frames at 30/s: the last one is presented about 59/30 s after the first.
        assertEquals(59 / 30.0, frames.get(59).timestampNanos() / 1e9, 0.05);
        MediaInfo info = source.info();
        assertEquals(320, info.width());
        assertEquals(240, info.height());
        assertEquals(30.0, info.frameRate(), 1e-9);
        assertTrue(info.parameterSets().isEmpty());
        source.stop();
    }

    @Test
    void h264PipelineDeliversAnnexBAccessUnitsStartingWithAnIdrThatFfmpegDecodes(@TempDir Path dir) throws Exception {
        PipelineSource source = source(settings(H264, Codec.H264, EosAction.AUTO, 1));
        MediaInfo before = source.info();
        assertEquals(0, before.width());
        assertEquals(25.0, before.frameRate(), 1e-9, "the configured rate until the caps say");
        RecordingSink sink = new RecordingSink();

        source.start(sink);
        assertTrue(sink.awaitFrames(45, WAIT), "45 frames did not arrive: " + sink.detail());
        source.stop();

        List<Frame> frames = sink.frames();
        Frame first = frames.get(0);
        assertTrue(first.keyframe(), "the first frame must be a keyframe");
        Set<Integer> firstTypes = types(first.data());
        assertTrue(firstTypes.containsAll(Set.of(NalUnit.SPS, NalUnit.PPS, NalUnit.IDR)), "first AU NAL types " + firstTypes);
        long previous = -1;
        int keyframes = 0;
        for (Frame frame : frames) {
            assertEquals(Codec.H264, frame.codec());
            ByteBuffer data = frame.data();
            assertTrue(data.getShort(0) == 0 && (data.get(2) == 1 || data.getShort(2) == 1),
                    "not Annex B: " + frame);
            assertTrue(frame.timestampNanos() > previous, "timestamps must increase: " + frame);
            previous = frame.timestampNanos();
            Set<Integer> types = types(frame.data());
            assertEquals(frame.keyframe(), types.contains(NalUnit.IDR), "keyframe flag vs IDR for " + frame);
            if (frame.keyframe()) {
                keyframes++;
                assertTrue(types.containsAll(Set.of(NalUnit.SPS, NalUnit.PPS)), "SPS/PPS before every IDR: " + types);
            }
        }
        assertTrue(keyframes >= 2, "key-int-max=30 gives a second IDR within 45 frames");

        MediaInfo info = source.info();
        assertEquals(320, info.width());
        assertEquals(240, info.height());
        assertEquals(30.0, info.frameRate(), 1e-9);
        List<ByteBuffer> sets = info.parameterSets();
        assertEquals(2, sets.size());
        assertEquals(NalUnit.SPS, NalUnit.type(sets.get(0)));
        assertEquals(NalUnit.PPS, NalUnit.type(sets.get(1)));
        assertArrayEquals(bytes(AnnexB.parameterSets(first.data()).get(0)), bytes(sets.get(0)));

        Path dump = dir.resolve("dump.h264");
        try (OutputStream out = Files.newOutputStream(dump)) {
            for (Frame frame : frames) {
                out.write(bytes(frame.data()));
            }
        }
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "h264", "-i", dump.toString(),
                "-f", "null", "-").redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(ffmpeg.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, ffmpeg.exitValue(), output);
        assertEquals("", output.strip(), "ffmpeg reported errors");
    }

    @Test
    void unknownElementFailsWithGStreamersMessage() throws Exception {
        PipelineSource source = source(settings("nosuchelement ! jpegenc", Codec.JPEG, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT));
        assertEquals(EndReason.FAILED, sink.reason());
        assertTrue(sink.detail().contains("nosuchelement"), sink.detail());
        assertEquals(0, sink.count());
        source.stop();
        assertEquals(1, sink.ends());
    }

    @Test
    void runtimeErrorEndsFailedWithTheBusMessageAndIsNotRetriedBeforeAFirstFrame() throws Exception {
        PipelineSource source = source(
                settings("filesrc location=/nonexistent ! jpegdec ! jpegenc", Codec.JPEG, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT));
        assertEquals(EndReason.FAILED, sink.reason());
        assertTrue(sink.detail().startsWith("filesrc0: "), sink.detail());
        assertTrue(sink.detail().contains("Resource not found") || sink.detail().contains("/nonexistent"),
                sink.detail());
        source.stop();
        assertEquals(1, sink.ends());
        assertEquals(Set.of(), ourThreads());
        assertEquals(0, PipelineRun.playing());
    }

    @Test
    void endOfStreamEndsWithEndOfMediaWhenRestartIsOff() throws Exception {
        PipelineSource source = source(settings("videotestsrc is-live=true num-buffers=5 ! video/x-raw,format=I420 ! jpegenc", Codec.JPEG,
                EosAction.END, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT));
        assertEquals(EndReason.END_OF_MEDIA, sink.reason());
        assertEquals(5, sink.count());
        source.stop();
    }

    @Test
    void endOfStreamRestartsALivePipelineWithIndexesAndTimestampsCarryingOn() throws Exception {
        PipelineSource source = source(settings("videotestsrc is-live=true num-buffers=8 "
                + "! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc", Codec.JPEG, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitFrames(20, WAIT), "the pipeline did not restart after its end: " + sink.detail());
        source.stop();
        List<Frame> frames = sink.frames();
        for (int i = 1; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).index());
            assertTrue(frames.get(i).timestampNanos() > frames.get(i - 1).timestampNanos(),
                    "timestamps must increase across restarts: " + frames.get(i - 1) + " then " + frames.get(i));
        }
        assertEquals(0, sink.ends(), "restarts are internal: the sink is not told");
    }

    @Test
    void errorAfterFramesRestartsAfterTheDelayAndTheSinkIsNotTold() throws Exception {
        PipelineSource source = source(settings("videotestsrc is-live=true "
                + "! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc ! identity error-after=6",
                Codec.JPEG, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitFrames(8, WAIT), "the pipeline did not come back after its error: " + sink.detail());
        source.stop();
        List<Frame> frames = sink.frames();
        int gap = 0;
        for (int i = 1; i < frames.size(); i++) {
            long step = frames.get(i).timestampNanos() - frames.get(i - 1).timestampNanos();
            if (step > 900_000_000L) {
                gap++;
            }
        }
        assertTrue(gap >= 1, "a restart after the 1 s delay shows as a gap of at least a second in the timestamps");
        assertEquals(0, sink.ends());
    }

    @Test
    void errorAfterFramesEndsFailedWhenRestartsAreOff() throws Exception {
        PipelineSource source = source(settings("videotestsrc is-live=true ! video/x-raw,format=I420 ! jpegenc ! identity error-after=3",
                Codec.JPEG, EosAction.AUTO, 0));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT));
        assertEquals(EndReason.FAILED, sink.reason());
        assertTrue(sink.detail().startsWith("identity0: "), sink.detail());
        source.stop();
    }

    @Test
    void jpegPicturesRtpCannotCarryEndTheFeedFailedSayingWhatToChange() throws Exception {
        // Without a format, videotestsrc gives jpegenc Y444 and the pictures are 4:4:4.
        PipelineSource source = source(settings("videotestsrc is-live=true ! video/x-raw,format=Y444 ! jpegenc",
                Codec.JPEG, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(WAIT));
        assertEquals(EndReason.FAILED, sink.reason());
        assertTrue(sink.detail().contains("4:4:4"), sink.detail());
        assertTrue(sink.detail().contains("format=I420"), sink.detail());
        assertEquals(0, sink.count());
        source.stop();
        assertEquals(1, sink.ends());
        assertEquals(Set.of(), ourThreads());
        assertEquals(0, PipelineRun.playing());
    }

    @Test
    void stopLeavesNoThreadOfOursNoPlayingPipelineAndNoLateFrame() throws Exception {
        PipelineSource source = source(settings(H264, Codec.H264, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        assertTrue(sink.awaitFrames(5, WAIT));
        assertEquals(1, PipelineRun.playing());

        source.stop();
        int atStop = sink.count();
        Thread.sleep(300);

        assertEquals(atStop, sink.count(), "no frame after stop() returned");
        assertEquals(0, sink.ends(), "stop() sends no onEnd");
        assertEquals(0, PipelineRun.playing(), "no pipeline left playing");
        assertEquals(Set.of(), ourThreads());

        RecordingSink again = new RecordingSink();
        source.start(again);
        assertTrue(again.awaitFrames(3, WAIT), "a stopped source starts again");
        assertTrue(again.frames().get(0).keyframe());
        assertEquals(0, again.frames().get(0).index(), "each feed counts from 0");
        source.stop();
    }

    @Test
    void repeatedStartsAndStopsLeaveNoThreadsBehind() throws Exception {
        PipelineSource source = source(settings("videotestsrc is-live=true "
                + "! video/x-raw,format=I420,width=160,height=120,framerate=30/1 ! jpegenc", Codec.JPEG, EosAction.AUTO, 1));
        cycle(source);
        int threadsAfterFirst = Thread.activeCount();

        for (int i = 0; i < 20; i++) {
            cycle(source);
        }

        assertEquals(0, PipelineRun.playing());
        assertEquals(Set.of(), ourThreads());
        assertTrue(Thread.activeCount() <= threadsAfterFirst + 2,
                "threads grew from " + threadsAfterFirst + " to " + Thread.activeCount());
    }

    private static void cycle(PipelineSource source) throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        source.start(sink);
        assertTrue(sink.awaitFrames(2, WAIT));
        source.stop();
    }

    @Test
    void probeLearnsParameterSetsBeforeTheFirstStartAndLeavesNothingRunning() throws Exception {
        PipelineSource source = source(settings(H264, Codec.H264, EosAction.AUTO, 1));

        source.probe();

        long deadline = System.nanoTime() + WAIT.toNanos();
        while (source.info().parameterSets().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        MediaInfo info = source.info();
        assertEquals(2, info.parameterSets().size(), "the probe found no SPS/PPS");
        assertEquals(320, info.width());
        deadline = System.nanoTime() + WAIT.toNanos();
        while ((!ourThreads().isEmpty() || PipelineRun.playing() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(Set.of(), ourThreads(), "the probe thread ends");
        assertEquals(0, PipelineRun.playing(), "the probe's pipeline stops");
    }

    @Test
    void startDuringTheProbeTakesOverAndStillBeginsWithAKeyframe() throws Exception {
        PipelineSource source = source(settings(H264, Codec.H264, EosAction.AUTO, 1));
        RecordingSink sink = new RecordingSink();

        source.probe();
        source.start(sink);

        assertTrue(sink.awaitFrames(3, WAIT));
        assertTrue(sink.frames().get(0).keyframe());
        assertEquals(1, PipelineRun.playing(), "only the feed's pipeline runs");
        source.stop();
    }

    @Test
    void closedSourceRefusesToStart() throws Exception {
        PipelineSource source = source(settings(JPEG_60, Codec.JPEG, EosAction.AUTO, 1));
        source.close();
        RecordingSink sink = new RecordingSink();

        source.start(sink);

        assertTrue(sink.awaitEnd(Duration.ZERO));
        assertEquals(EndReason.SOURCE_GONE, sink.reason());
        assertFalse(sink.count() > 0);
    }

    private static Set<Integer> types(ByteBuffer au) {
        Set<Integer> types = new java.util.HashSet<>();
        for (ByteBuffer unit : AnnexB.nalUnits(au)) {
            types.add(NalUnit.type(unit));
        }
        return types;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
