package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.tributary.api.StreamInfo;

/**
 * The webcam source bundle in a real framework: a stream created through the Streams service on the test pattern
 * driver, played by FFmpeg over RTSP.
 */
class WebcamSourceTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    static TributaryRuntime runtime;
    static Bundle bundle;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        bundle = runtime.install("org.tributary.source.webcam");
        runtime.streams().create("cam", "webcam", Map.of("driver", "test-pattern"));
        runtime.awaitStream("cam", Duration.ofSeconds(60));
    }

    @AfterAll
    static void removeStream() throws Exception {
        runtime.streams().delete("cam");
    }

    @Test
    void ffmpegDecodes30FramesOfTheTestPatternWithoutAnError() throws Exception {
        // Over UDP: see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                "udp", "-buffer_size", Processes.UDP_RECEIVE_BUFFER, "-i", runtime.url("cam"), "-frames:v", "30", "-f",
                "framemd5", "-");

        assertTrue(r.ok(), r.output());
        List<String> frames = r.output().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertEquals(30, frames.size(), "frames decoded; anything else printed is an error:\n" + Processes.tail(r.output()));
        assertEquals(30, frames.stream().map(l -> l.substring(l.lastIndexOf(',') + 1).strip()).distinct().count(),
                "every frame of the moving pattern differs:\n" + Processes.tail(r.output()));
        StreamInfo info = runtime.streams().get("cam").orElseThrow();
        assertEquals(640, info.info().width());
        assertEquals(480, info.info().height());
    }

    @Test
    void ffprobeSeesMjpegAt640x480() throws Exception {
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffprobe", "-v", "error", "-rtsp_transport", "udp",
                "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
                runtime.url("cam"));

        assertTrue(r.ok(), r.output());
        assertEquals("mjpeg,640,480", r.output().strip(), r.output());
    }
}
