package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.SessionState;
import org.tributary.rtsp.client.LowerTransport;

/**
 * Publishing into the server (ANNOUNCE, SETUP mode=record, RECORD) with real encoders, and redirects: FFmpeg
 * publishes MJPEG and H.264 with the publishing password, GStreamer's rtspclientsink publishes H.264; FFmpeg and
 * gst-launch viewers decode the published streams over UDP and TCP; the publisher going away ends the viewers'
 * sessions with BYE and frees the path for the next one; a configured redirect sends FFmpeg to the stream it names.
 * Also prints the server's CPU per published stream (a figure, not asserted: a busy machine changes it).
 */
class PublishTest {

    /** Bound hangs only: a busy machine takes as long as it needs within them. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String USER = "pub";
    private static final String PASSWORD = "s3cret";

    static TributaryRuntime runtime;
    static Path clips;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        runtime.reconfigureServer(Map.of("publishing", "password", "publishUser", USER, "publishPassword", PASSWORD,
                "redirects", new String[] {"elsewhere=" + runtime.url("demo")}));
        clips = Files.createTempDirectory("tributary-publish");
        clip("mjpeg");
        clip("h264");
    }

    @AfterAll
    static void stop() throws Exception {
        runtime.reconfigureServer(Map.of());
        for (String name : List.of("mjpeg.mkv", "h264.mkv")) {
            Files.deleteIfExists(clips.resolve(name));
        }
        Files.deleteIfExists(clips);
    }

    @AfterEach
    void endProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        processes.clear();
    }

    @Test
    void ffmpegPublishesMjpegOverTcpAndViewersDecodeItOverUdpAndTcp(@TempDir Path dir) throws Exception {
        publishWithFfmpeg("mjpeg", "tcp", "live-mjpeg", dir);
        assertFfmpegDecodes("live-mjpeg", "udp");
        assertGstDecodes("live-mjpeg", "tcp", "rtpjpegdepay", "jpegdec");
    }

    @Test
    void ffmpegPublishesH264OverUdpAndViewersDecodeItOverUdpAndTcp(@TempDir Path dir) throws Exception {
        publishWithFfmpeg("h264", "udp", "live-h264", dir);
        assertFfmpegDecodes("live-h264", "tcp");
        assertGstDecodes("live-h264", "udp", "rtph264depay", "avdec_h264");
    }

    @Test
    void thePublisherLeavingEndsTheViewersWithByeAndANewPublisherTakesThePath(@TempDir Path dir) throws Exception {
        Process first = publishWithFfmpeg("h264", "tcp", "relay-me", dir);
        try (Viewer udp = Viewer.play(runtime.url("relay-me"), LowerTransport.UDP);
                Viewer tcp = Viewer.play(runtime.url("relay-me"), LowerTransport.TCP)) {
            udp.awaitMoreFrames(10, PATIENCE);
            tcp.awaitMoreFrames(10, PATIENCE);
            assertTrue(GstreamerStreams.sessions(runtime).list().stream().anyMatch(
                    s -> s.stream().equals("relay-me") && s.state() == SessionState.RECORDING),
                    "the publisher is a session in state RECORDING");

            first.destroyForcibly().waitFor();
            assertTrue(udp.awaitEnd(PATIENCE), "the UDP viewer is told (RTCP BYE)");
            assertTrue(tcp.awaitEnd(PATIENCE), "the TCP viewer is told (RTCP BYE)");
        }
        awaitGone("relay-me");
        assertEquals(404, runtime.describeStatus("relay-me"), "the path is free once its publisher left");

        Process gst = start(dir.resolve("gst.log"), "gst-launch-1.0", "videotestsrc", "is-live=true", "!",
                "video/x-raw,format=I420,width=320,height=240,framerate=25/1", "!", "x264enc", "tune=zerolatency",
                "key-int-max=25", "!", "rtspclientsink", "location=" + runtime.url("relay-me"), "user-id=" + USER,
                "user-pw=" + PASSWORD);
        awaitPublished("relay-me", gst, dir.resolve("gst.log"));
        assertFfmpegDecodes("relay-me", "udp");
        assertGstDecodes("relay-me", "tcp", "rtph264depay", "avdec_h264");
    }

    @Test
    void aSecondPublisherOfATakenPathIsRefusedAndWrongCredentialsAre(@TempDir Path dir) throws Exception {
        publishWithFfmpeg("mjpeg", "tcp", "taken", dir);
        Processes.Result second = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-re", "-i",
                clips.resolve("mjpeg.mkv").toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp",
                withCredentials(runtime.url("taken"), USER, PASSWORD));
        assertFalse(second.ok());
        assertTrue(second.output().contains("403 Path 'taken' already has a source"), second.output());
        assertFalse(runtime.describeStatus("demo") != 200, "others go on");

        Processes.Result wrong = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-re", "-i",
                clips.resolve("mjpeg.mkv").toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", "tcp",
                withCredentials(runtime.url("other"), USER, "guess"));
        assertFalse(wrong.ok());
        assertTrue(wrong.output().contains("401"), wrong.output());
        assertEquals(404, runtime.describeStatus("other"));
    }

    @Test
    void aRedirectSendsFfmpegToTheStreamItNames() throws Exception {
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "info", "-i",
                runtime.url("elsewhere"), "-frames:v", "10", "-f", "framemd5", "-");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Redirecting to " + runtime.url("demo")), r.output());
        assertEquals(10, r.output().lines().filter(l -> l.startsWith("0,")).count(), r.output());
    }

    @Test
    void cpuPerPublishedStream(@TempDir Path dir) throws Exception {
        double idle = cpuPercent(Duration.ofSeconds(5));
        publishWithFfmpeg("h264", "tcp", "cpu", dir);
        Thread.sleep(1000);
        double publishing = cpuPercent(Duration.ofSeconds(15));
        List<Process> viewers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            viewers.add(start(dir.resolve("viewer" + i + ".log"), "ffmpeg", "-nostdin", "-v", "error",
                    "-rtsp_transport", i % 2 == 0 ? "udp" : "tcp", "-i", runtime.url("cpu"), "-c", "copy", "-f",
                    "null", "-"));
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (viewers("cpu") < 10 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(10, viewers("cpu"), "ten viewers watch");
        double tenViewers = cpuPercent(Duration.ofSeconds(15));
        System.out.printf("Published H.264 320x240 25 fps (ffmpeg over TCP), server JVM CPU: idle %.1f %%, "
                + "publishing with no viewer %.1f %%, with 10 ffmpeg viewers %.1f %% of one core%n", idle, publishing,
                tenViewers);
    }

    private static int viewers(String path) {
        return runtime.streams().get(path).map(s -> s.viewers()).orElse(-1);
    }

    private Process publishWithFfmpeg(String codec, String transport, String path, Path dir) throws Exception {
        Path log = dir.resolve("publisher-" + path + ".log");
        Process p = start(log, "ffmpeg", "-nostdin", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                clips.resolve(codec + ".mkv").toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport,
                withCredentials(runtime.url(path), USER, PASSWORD));
        awaitPublished(path, p, log);
        return p;
    }

    private Process start(Path log, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        return p;
    }

    /** Waits until the path is mounted and its publisher's session records, so that viewers find frames. */
    private static void awaitPublished(String path, Process publisher, Path log) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (runtime.streams().get(path).isEmpty() || GstreamerStreams.sessions(runtime).list().stream()
                .noneMatch(s -> s.stream().equals(path) && s.state() == SessionState.RECORDING)) {
            if (!publisher.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("'" + path + "' not published:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
    }

    private static void awaitGone(String path) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (runtime.streams().get(path).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(runtime.streams().get(path).isEmpty(), "stream " + path + " unmounted");
    }

    private static void assertFfmpegDecodes(String path, String transport) throws Exception {
        // Over UDP too: see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                transport, "-buffer_size", Processes.UDP_RECEIVE_BUFFER, "-i", runtime.url(path), "-frames:v", "30",
                "-f", "framemd5", "-");
        assertTrue(r.ok(), r.output());
        GstreamerLiveTest.assertDecodedCleanly(30, r.output());
    }

    private static void assertGstDecodes(String path, String transport, String depayloader, String decoder)
            throws Exception {
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "gst-launch-1.0", "rtspsrc", "location=" + runtime.url(path),
                "protocols=" + transport, "udp-buffer-size=" + Processes.UDP_RECEIVE_BUFFER, "!", depayloader, "!",
                decoder, "!", "fakesink", "num-buffers=30");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Got EOS"), Processes.tail(r.output()));
        assertFalse(r.output().contains("ERROR"), Processes.tail(r.output()));
    }

    private static String withCredentials(String url, String user, String password) {
        return url.replace("rtsp://", "rtsp://" + user + ":" + password + "@");
    }

    /**
     * A 4 s test pattern: MJPEG that RFC 2435 carries (standard Huffman tables, 4:2:0), or baseline H.264 with a
     * keyframe every second; in Matroska, so -stream_loop can seek back (a raw H.264 file cannot be seeked).
     */
    private static void clip(String codec) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", "4"));
        if (codec.equals("mjpeg")) {
            command.addAll(List.of("-c:v", "mjpeg", "-huffman", "default", "-pix_fmt", "yuvj420p", "-q:v", "5"));
        } else {
            command.addAll(List.of("-c:v", "libx264", "-profile:v", "baseline", "-g", "25", "-bf", "0", "-pix_fmt",
                    "yuv420p"));
        }
        command.add(clips.resolve(codec + ".mkv").toString());
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, command);
        assertTrue(r.ok(), r.output());
    }

    /** The CPU this JVM (the server, no viewer inside it) used over {@code window}, in percent of one core. */
    private static double cpuPercent(Duration window) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        Thread.sleep(window.toMillis());
        return 100.0 * (os.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
    }
}
