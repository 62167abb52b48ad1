package org.tributary.source.relay.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's gst-rtsp-server serving one launch line at {@code /test}: a real origin for the relay. The small C
 * program in the test resources (the RTSP client's, copied) is compiled once per build into {@code target/}.
 */
final class GstRtspServer implements AutoCloseable {

    /** A live 25 fps test picture, 320x240, RFC 2435 JPEG. */
    static final String JPEG = "( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=320,"
            + "height=240,framerate=25/1 ! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26 )";

    /** A live 25 fps test picture, 320x240, H.264 with a keyframe every 2 s. */
    static final String H264 = "( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=320,"
            + "height=240,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=50 "
            + "! rtph264pay name=pay0 pt=96 config-interval=-1 )";

    private static final Path BINARY = Path.of("target", "test-tools", "gst-rtsp-server");

    private final String launch;
    private final int port;
    private Process process;

    private GstRtspServer(String launch, int port, Process process) {
        this.launch = launch;
        this.port = port;
        this.process = process;
    }

    /** Starts a server for {@code launch} on a free port. */
    static GstRtspServer start(String launch) throws Exception {
        String[] started = new String[1];
        Process p = launch(launch, 0, started);
        return new GstRtspServer(launch, Integer.parseInt(started[0]), p);
    }

    String url() {
        return "rtsp://127.0.0.1:" + port + "/test";
    }

    int port() {
        return port;
    }

    /** Ends the server abruptly, as a crash would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port after {@link #kill()}. */
    void restart() throws Exception {
        process = launch(launch, port, new String[1]);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Process launch(String launch, int port, String[] boundPort) throws Exception {
        Path binary = build();
        Path log = Files.createTempFile(Path.of("target"), "gst-rtsp-server-", ".log");
        Process process = new ProcessBuilder(List.of(binary.toString(), Integer.toString(port), "/test", launch))
                .redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(15, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IllegalStateException("gst-rtsp-server did not start: " + Files.readString(log));
        }
        boundPort[0] = line.substring(6).strip();
        return process;
    }

    private static synchronized Path build() throws Exception {
        if (Files.isExecutable(BINARY)) {
            return BINARY;
        }
        assertTrue(Files.isExecutable(Path.of("/usr/bin/gcc")),
                "gcc is needed to build the test RTSP server (scripts/install-deps.sh)");
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
        assertTrue(gcc.waitFor() == 0,
                "gst-rtsp-server (libgstrtspserver-1.0-0, scripts/install-deps.sh) is needed: " + output);
        return BINARY;
    }
}
