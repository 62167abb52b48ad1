package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;

/** Real FFmpeg and GStreamer clients play the file streams over RTSP, with RTP over UDP and interleaved in TCP. */
class FileStreamingInteropTest {

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    @Test
    void ffprobeSeesMjpegOfTheClipSize() throws Exception {
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffprobe", "-v", "error", "-rtsp_transport", "udp",
                "-buffer_size", Processes.UDP_RECEIVE_BUFFER, "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0",
                runtime.url("demo"));
        assertTrue(r.ok(), r.output());
        assertEquals("mjpeg,320,240", r.output().strip(), r.output());
    }

    @ParameterizedTest
    @ValueSource(strings = { "udp", "tcp" })
    void ffmpegDecodes90FramesWithoutAnError(String transport) throws Exception {
        // UDP is the point for one of these: see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                transport, "-buffer_size", Processes.UDP_RECEIVE_BUFFER, "-i", runtime.url("demo"), "-frames:v", "90",
                "-f", "framemd5", "-");
        assertTrue(r.ok(), r.output());
        List<String> frames = r.output().lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertEquals(90, frames.size(), "frames decoded; anything else printed is an error:\n" + Processes.tail(r.output()));
        assertTrue(frames.stream().allMatch(l -> l.matches("0,\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*[0-9a-f]{32}")),
                "only frame lines, no decoder errors:\n" + Processes.tail(r.output()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "udp", "tcp" })
    void gstreamerPlays90FramesToEndOfStream(String transport) throws Exception {
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "gst-launch-1.0", "rtspsrc",
                "location=" + runtime.url("demo"), "protocols=" + transport,
                "udp-buffer-size=" + Processes.UDP_RECEIVE_BUFFER, "!", "rtpjpegdepay", "!", "jpegdec", "!", "fakesink",
                "num-buffers=90");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Got EOS"), "gst-launch reached end of stream:\n" + Processes.tail(r.output()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "udp", "tcp" })
    void theFirstFrameFfmpegDecodesIsTheFilesFirstFrame(String transport, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("first.png");
        // Over TCP the first frame must not overtake the PLAY reply (FFmpeg skips interleaved data before it); over
        // UDP see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                transport, "-buffer_size", Processes.UDP_RECEIVE_BUFFER, "-i", runtime.url("movie.Mjpeg"), "-frames:v", "1", out.toString());
        assertTrue(r.ok() && Files.exists(out), r.output());

        // The file's first frame through the same decoder, so only what the stream changed can differ.
        List<byte[]> source = Media.labFrames(Media.directory(runtime.context()).resolve("movie.Mjpeg"));
        Path sourceJpeg = Files.write(dir.resolve("source.jpg"), source.get(0));
        Path sourcePng = dir.resolve("source.png");
        Processes.Result s = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-i",
                sourceJpeg.toString(), sourcePng.toString());
        assertTrue(s.ok(), s.output());
        double psnr = Media.psnr(Media.decode(Files.readAllBytes(sourcePng)), Media.decode(Files.readAllBytes(out)));
        assertTrue(psnr >= 40, "PSNR of the first frame against the file's first frame: " + psnr + " dB");
    }

    @Test
    void playWithARangeStartsAtThatTime(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("at5s.jpg");
        // -ss before -i makes FFmpeg send PLAY with Range: npt=5.000-. Interleaved in TCP: the point is the Range.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                "tcp", "-ss", "5", "-i", runtime.url("movie.Mjpeg"), "-frames:v", "1", "-c:v", "copy", "-f",
                "image2", out.toString());
        assertTrue(r.ok() && Files.exists(out), r.output());

        List<byte[]> source = Media.labFrames(Media.directory(runtime.context()).resolve("movie.Mjpeg"));
        int index = Media.indexOf(source, Files.readAllBytes(out));
        // 25 fps: 5 s is frame 125; the first frame shown is within a second of it.
        assertTrue(index >= 100 && index <= 150, "first frame after seeking to 5 s is frame " + index);
    }

    /**
     * A file stream whose file is not there yet is listed FAILED saying so, DESCRIBE gets 503, and it plays
     * once the file appears, with no operator.
     */
    @Test
    void aFileThatIsNotThereYetIsListedFailedWithTheReasonAndPlaysOnceItAppears(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("later.mjpeg");
        runtime.streams().create("later", "file", Map.of("path", file.toString()));
        try {
            StreamInfo missing = runtime.awaitState("later", StreamState.FAILED, CLIENT_TIMEOUT);
            assertTrue(missing.reason().contains(file.toString()) && missing.reason().contains("no such file"),
                    missing.reason());
            assertEquals(503, runtime.describeStatus("later"));

            Files.copy(Media.directory(runtime.context()).resolve("movie.Mjpeg"), file);
            runtime.awaitRunning("later", CLIENT_TIMEOUT);
            Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error",
                    "-rtsp_transport", "tcp", "-i", runtime.url("later"), "-frames:v", "10", "-f", "null", "-");
            assertTrue(r.ok(), r.output());
            assertEquals("", r.output().strip(), "no decoder error");
        } finally {
            runtime.streams().delete("later");
        }
    }
}
