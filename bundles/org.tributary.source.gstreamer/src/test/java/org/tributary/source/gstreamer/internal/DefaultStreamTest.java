package org.tributary.source.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.MediaInfo;
import org.tributary.source.gstreamer.internal.SourceSettings.EosAction;

class DefaultStreamTest {

    @Test
    void defaultIsTheMovingTestPatternEncodedForLowLatency() {
        String pipeline = DefaultStreamComponent.pipeline(null, false);
        assertTrue(pipeline.startsWith("videotestsrc is-live=true pattern=ball ! "
                + "video/x-raw,format=I420,width=640,height=480,framerate=30/1 ! x264enc tune=zerolatency"), pipeline);
        assertFalse(pipeline.contains("clockoverlay"));
        assertTrue(DefaultStreamComponent.pipeline(" ", true).contains("! clockoverlay ! x264enc"));
    }

    @Test
    void aDeviceReplacesTheTestPatternWithTheCameraScaledToTheSamePicture() {
        String pipeline = DefaultStreamComponent.pipeline("/dev/video0", false);
        assertTrue(pipeline.startsWith("v4l2src device=/dev/video0 ! "), pipeline);
        assertTrue(pipeline.contains("video/x-raw,format=I420,width=640,height=480,framerate=30/1 ! x264enc"), pipeline);
    }

    @Test
    void defaultPipelineRunsHereAndGivesA640x480H264Stream() throws Exception {
        String pipeline = DefaultStreamComponent.pipeline(null, GstRuntime.hasElement("clockoverlay"));
        PipelineSource source = new PipelineSource(
                new SourceSettings("stream", pipeline, Codec.H264, 30, 1, 6, EosAction.AUTO, false));
        RecordingSink sink = new RecordingSink();
        try {
            source.start(sink);
            assertTrue(sink.awaitFrames(10, Duration.ofSeconds(10)), "no frames: " + sink.detail());
        } finally {
            source.close();
        }
        MediaInfo info = source.info();
        assertEquals(640, info.width());
        assertEquals(480, info.height());
        assertEquals(2, info.parameterSets().size());
        assertTrue(sink.frames().get(0).keyframe());
    }
}
