package org.tributary.source.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.StreamException;

class LaunchLineTest {

    @Test
    void h264GetsAParserAndByteStreamAccessUnitCapsBeforeTheAppsink() {
        assertEquals("videotestsrc ! x264enc ! h264parse config-interval=-1 "
                + "! video/x-h264,stream-format=byte-stream,alignment=au "
                + "! appsink name=tributary_sink emit-signals=true sync=false max-buffers=2 drop=true",
                LaunchLine.of("  videotestsrc ! x264enc ", Codec.H264));
    }

    @Test
    void jpegGetsImageJpegCapsBeforeTheAppsink() {
        assertEquals("videotestsrc ! jpegenc ! image/jpeg "
                + "! appsink name=tributary_sink emit-signals=true sync=false max-buffers=2 drop=true",
                LaunchLine.of("videotestsrc ! jpegenc", Codec.JPEG));
    }

    @Test
    void codecIsToldFromThePipelinesLastElement() {
        assertEquals(Codec.JPEG, LaunchLine.detectCodec(Pipelines.JPEG_60));
        assertEquals(Codec.H264, LaunchLine.detectCodec(Pipelines.H264));
    }

    @Test
    void aPipelineOfRawVideoCannotBeToldAndSaysToSetTheCodec() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchLine.detectCodec("videotestsrc ! videoconvert"));
        assertTrue(e.getMessage().contains("set 'codec'"), e.getMessage());
    }

    @Test
    void aPipelineThatDoesNotParseSaysWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LaunchLine.detectCodec("nosuchelement ! jpegenc"));
        assertTrue(e.getMessage().contains("nosuchelement"), e.getMessage());
    }

    @Test
    void theSettingsCheckRefusesAPipelineWithAMissingElementWithoutStartingIt() {
        GstSettingsCheck check = new GstSettingsCheck();
        StreamException e = assertThrows(StreamException.class,
                () -> check.check(Map.of("name", "g1", "pipeline", "nosuchelement ! jpegenc")));
        assertEquals(StreamException.Kind.INVALID, e.kind());
        assertTrue(e.getMessage().startsWith("setting 'pipeline' does not parse: "), e.getMessage());
        assertTrue(e.getMessage().contains("nosuchelement"), e.getMessage());
        assertTrue(assertThrows(StreamException.class, () -> check.check(Map.of("name", "g1", "pipeline",
                "videotestsrc ! jpegenc", "codec", "VP8"))).getMessage().startsWith("setting 'codec' must be"));
        assertTrue(assertThrows(StreamException.class, () -> check.check(Map.of("name", "g1", "pipeline",
                "videotestsrc ! videoconvert"))).getMessage().contains("set 'codec'"));
    }

    @Test
    void theSettingsCheckAcceptsAPipelineThatParses() throws Exception {
        GstSettingsCheck check = new GstSettingsCheck();
        check.check(Map.of("name", "g1", "pipeline", "videotestsrc ! jpegenc"));
        check.check(Map.of("name", "g1", "pipeline", "videotestsrc ! videoconvert", "codec", "JPEG"));
    }
}
