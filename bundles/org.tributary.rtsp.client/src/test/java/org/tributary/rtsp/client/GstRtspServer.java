package org.tributary.rtsp.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's gst-rtsp-server, the RTSP server GStreamer ships, serving one launch line at {@code /test} on a free
 * port. The small C program in this module's test resources is compiled once per build into the running module's
 * {@code target/test-tools}; tests fail on a machine without gcc or libgstrtspserver (scripts/install-deps.sh
 * installs them). Modules that build before Tributary's own RTSP server can run play from this one, through this
 * module's test-jar.
 */
public final class GstRtspServer implements AutoCloseable {

    /** A live 25 fps test picture (a moving ball), 320x240, RFC 2435 JPEG. */
    public static final String LIVE = "( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,width=320,"
            + "height=240,framerate=25/1 ! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26 )";

    /** Live SMPTE colour bars scrolling sideways, 320x240 at 25 fps: a picture that fills the frame and moves. */
    public static final String LIVE_BARS = "( videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! video/x-raw,"
            + "format=I420,width=320,height=240,framerate=25/1 ! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26 )";

    /** A live 25 fps test picture, 320x240, H.264 with a keyframe every 2 s. */
    public static final String LIVE_H264 = "( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,"
            + "width=320,height=240,framerate=25/1 ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=50 "
            + "! rtph264pay name=pay0 pt=96 config-interval=-1 )";

    private static final String SOURCE = "/gst-rtsp-server.c";
    private static final Path TOOLS = Path.of("target", "test-tools");

    private final String launch;
    private final List<String> options;
    private final int port;
    private Process process;

    private GstRtspServer(String launch, List<String> options, int port, Process process) {
        this.launch = launch;
        this.options = options;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts a server for {@code launch}; {@code options} are the program's optional arguments: {@code basic} or
     * {@code digest} with a user and a password, or {@code tcp-only}.
     */
    public static GstRtspServer start(String launch, String... options) throws Exception {
        List<String> optionList = List.of(options);
        String[] boundPort = new String[1];
        Process process = launch(launch, optionList, 0, boundPort);
        return new GstRtspServer(launch, optionList, Integer.parseInt(boundPort[0]), process);
    }

    /** A Matroska clip of JPEG pictures, on demand: seekable, with its duration in the SDP. */
    public static String jpegClip(Path clip) {
        return "( filesrc location=" + clip + " ! matroskademux ! jpegparse ! rtpjpegpay name=pay0 pt=26 )";
    }

    /** An H.264 clip in Matroska, packetized by GStreamer's rtph264pay with the parameter sets before every IDR. */
    public static String h264Clip(Path clip) {
        return "( filesrc location=" + clip
                + " ! matroskademux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )";
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + "/test";
    }

    public String url(String userInfo) {
        return "rtsp://" + userInfo + "@127.0.0.1:" + port + "/test";
    }

    public int port() {
        return port;
    }

    /** Ends the server abruptly, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /** Starts the server again on the same port with the same launch line and options, after {@link #kill()}. */
    public void restart() throws Exception {
        process = launch(launch, options, port, new String[1]);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Process launch(String launch, List<String> options, int port, String[] boundPort)
            throws Exception {
        Path binary = build();
        List<String> command = new ArrayList<>(List.of(binary.toString(), Integer.toString(port), "/test", launch));
        command.addAll(options);
        Path log = Files.createTempFile(Path.of("target"), "gst-rtsp-server-", ".log");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (line == null || !line.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IllegalStateException("gst-rtsp-server did not start: " + Files.readString(log));
        }
        boundPort[0] = line.substring(6).strip();
        return process;
    }

    private static synchronized Path build() throws Exception {
        byte[] source;
        try (InputStream in = GstRtspServer.class.getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is not on the test class path");
            }
            source = in.readAllBytes();
        }
        // The source comes from another module's test-jar when a dependent module runs this, and a clean of the
        // dependent module is not forced when the source changes: the hash keeps an old binary from being reused.
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source), 0, 6);
        Path binary = TOOLS.resolve("gst-rtsp-server-" + hash);
        if (Files.isExecutable(binary)) {
            return binary;
        }
        assertTrue(Files.isExecutable(Path.of("/usr/bin/gcc")),
                "gcc is needed to build the test RTSP server (scripts/install-deps.sh)");
        Files.createDirectories(TOOLS);
        // gcc needs a file; inside a jar the resource has no path of its own.
        Path sourceFile = TOOLS.resolve("gst-rtsp-server-" + hash + ".c");
        Files.write(sourceFile, source);
        Process gcc = new ProcessBuilder("gcc", "-O1", "-o", binary.toString(), sourceFile.toString(),
                "-l:libgstrtspserver-1.0.so.0", "-l:libgstreamer-1.0.so.0", "-l:libglib-2.0.so.0",
                "-l:libgobject-2.0.so.0").redirectErrorStream(true).start();
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor() == 0,
                "gst-rtsp-server (libgstrtspserver-1.0-0, scripts/install-deps.sh) is needed: " + output);
        return binary;
    }
}
