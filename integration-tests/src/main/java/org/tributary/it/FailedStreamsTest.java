package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;

/**
 * Sources that cannot deliver are FAILED with the reason before anyone watches, and DESCRIBE answers 503 with it:
 * an H.264 pipeline whose camera is missing, and a file whose frames RTP/JPEG cannot carry.
 */
class FailedStreamsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static TributaryRuntime runtime;
    static Streams streams;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        runtime.install(GstreamerStreams.BUNDLE);
        streams = runtime.streams();
    }

    @AfterAll
    static void stop() throws Exception {
        for (String name : new String[] {"nocamera", "fullchroma"}) {
            try {
                streams.delete(name);
            } catch (StreamException e) {
                // Not created.
            }
        }
        GstreamerStreams.remove(runtime);
    }

    @Test
    void anH264PipelineWithoutItsCameraIsFailedWithGStreamersReason() throws Exception {
        streams.create("nocamera", "gstreamer", Map.of("pipeline",
                "v4l2src device=/dev/video-tributary-none ! videoconvert ! x264enc tune=zerolatency"));

        StreamInfo failed = awaitFailed("nocamera");
        assertTrue(failed.reason().contains("/dev/video-tributary-none"), failed.reason());
        String status = describeStatusLine("nocamera");
        assertTrue(status.startsWith("RTSP/1.0 503 "), status);
        assertTrue(status.contains("/dev/video-tributary-none"), "DESCRIBE says why: " + status);
    }

    @Test
    void aFileWhoseFramesRtpCannotCarryIsFailedSayingHowToReencode(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("full-chroma.mjpeg");
        Process p = new ProcessBuilder("ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc=size=160x120:rate=25", "-frames:v", "5", "-pix_fmt", "yuvj444p", "-c:v", "mjpeg", "-f",
                "mjpeg", file.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        assertTrue(Files.size(file) > 0);

        streams.create("fullchroma", "file", Map.of("path", file.toString()));

        StreamInfo failed = awaitFailed("fullchroma");
        assertTrue(failed.reason().contains("cannot be sent over RTP/JPEG"), failed.reason());
        assertTrue(failed.reason().contains("4:2:0"), "says what to re-encode to: " + failed.reason());
        assertEquals(503, runtime.describeStatus("fullchroma"));
    }

    private static StreamInfo awaitFailed(String name) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            StreamInfo now = streams.get(name).orElse(null);
            if (now != null && now.state() == StreamState.FAILED) {
                return now;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("stream " + name + " is not FAILED within " + PATIENCE + ": " + now);
            }
            Thread.sleep(200);
        }
    }

    private static String describeStatusLine(String path) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", runtime.rtspPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("DESCRIBE " + runtime.url(path) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
        }
    }
}
