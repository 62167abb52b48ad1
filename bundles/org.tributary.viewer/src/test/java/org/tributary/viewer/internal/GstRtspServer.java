package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's gst-rtsp-server, the RTSP server GStreamer ships, serving one launch line on a free port: the
 * viewer builds before Tributary's own server can run, so its tests play from this one. The small C program in
 * the test resources (the RTSP client's, copied) is compiled once per build into {@code target/}; tests fail on
 * a machine without gcc or libgstrtspserver (scripts/install-deps.sh installs them).
 */
final class GstRtspServer implements AutoCloseable {

    /** A live 25 fps test picture (a moving ball), 320x240, RFC 2435 JPEG. */
    static final String LIVE = "( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=320,"
            + "height=240,framerate=25/1 ! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26 )";

    /** Live SMPTE colour bars scrolling sideways, 320x240 at 25 fps: a picture that fills the frame and moves. */
    static final String LIVE_BARS = "( videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! video/x-raw,"
            + "format=I420,width=320,height=240,framerate=25/1 ! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26 )";

    /** The clip of {@link TestMedia#positionClip()}, on demand: seekable, with its duration in the SDP. */
    static String positionClip() throws Exception {
        return "( filesrc location=" + TestMedia.positionClip() + " ! matroskademux ! jpegparse ! rtpjpegpay name=pay0 pt=26 )";
    }

    /** An H.264 clip in Matroska, packetized by GStreamer's rtph264pay with the parameter sets before every IDR. */
    static String h264Clip(java.nio.file.Path clip) {
        return "( filesrc location=" + clip + " ! matroskademux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )";
    }

    private static final Path BINARY = Path.of("target", "test-tools", "gst-rtsp-server");

    private final Process process;
    private final int port;

    private GstRtspServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server for {@code LAUNCH} at {@code /test}; {@code extra} are the program's optional arguments. */
    static GstRtspServer start(String launch, String... extra) throws Exception {
        Path binary = build();
        List<String> command = new ArrayList<>(List.of(binary.toString(), "0", "/test", launch));
        command.addAll(List.of(extra));
        Path log = Files.createTempFile(Path.of("target"), "gst-rtsp-server-", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line = ready.get(15, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IllegalStateException("gst-rtsp-server did not start: " + Files.readString(log));
        }
        return new GstRtspServer(process, Integer.parseInt(line.substring(6).strip()));
    }

    String url() {
        return "rtsp://127.0.0.1:" + port + "/test";
    }

    String url(String userInfo) {
        return "rtsp://" + userInfo + "@127.0.0.1:" + port + "/test";
    }

    int port() {
        return port;
    }

    /** Ends the server abruptly, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static synchronized Path build() throws Exception {
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        assertTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "gcc is needed to build the test RTSP server (scripts/install-deps.sh)");
        Path source;
        try {
            source = Path.of(GstRtspServer.class.getResource("/gst-rtsp-server.c").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Files.createDirectories(BINARY.getParent());
        Process gcc = new ProcessBuilder("gcc", "-O1", "-o", BINARY.toString(), source.toString(),
                "-l:libgstrtspserver-1.0.so.0", "-l:libgstreamer-1.0.so.0", "-l:libglib-2.0.so.0",
                "-l:libgobject-2.0.so.0").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor() == 0, "gst-rtsp-server (libgstrtspserver-1.0-0, scripts/install-deps.sh) is needed: " + output);
        return BINARY;
    }
}
