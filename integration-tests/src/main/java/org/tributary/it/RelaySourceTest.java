package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.JpegException;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspClientOptions;

/**
 * The relay source between two real runtimes: the test framework is the relay, the origin is a second Tributary
 * started from {@code tributary.jar} as a separate process on free ports. A relay of the origin's demo plays in
 * FFmpeg; killing the origin puts the relay in FAILED naming the origin, and once the origin is back the relay
 * plays again with nobody touching it. A live JPEG stream of the origin relayed over UDP shows the origin's
 * pictures; the latency the relay adds is printed (a figure, not asserted: a busy machine changes it).
 */
class RelaySourceTest {

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final String LIVE_PIPELINE = "videotestsrc is-live=true pattern=ball ! "
            + "video/x-raw,format=I420,width=320,height=240,framerate=25/1 ! jpegenc quality=70";

    static TributaryRuntime runtime;
    static Origin origin;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        runtime.install("org.tributary.rtsp.client");
        runtime.install("org.tributary.source.relay");
        origin = Origin.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (origin != null) {
            origin.kill();
        }
        Streams streams = runtime.streams();
        for (String name : List.of("relay", "relaylive")) {
            if (streams.get(name).isPresent()) {
                streams.delete(name);
            }
        }
    }

    @Test
    void aRelayOfTheDemoPlaysInFfmpegFailsNamingTheOriginWhenItDiesAndPlaysAgainWhenItReturns() throws Exception {
        Streams streams = runtime.streams();
        String originUrl = origin.url("demo");
        streams.create("relay", "relay", Map.of("url", originUrl));
        runtime.awaitRunning("relay", SHORT);

        assertFfmpegDecodes(runtime.url("relay"));

        try (Viewer watching = Viewer.play(runtime.url("relay"), LowerTransport.TCP)) {
            watching.awaitMoreFrames(10, SHORT);
            origin.kill();
            assertTrue(watching.awaitEnd(SHORT), "the relay's viewer is told the stream ended");
        }
        StreamInfo failed = awaitState("relay", StreamState.FAILED, SHORT);
        assertTrue(failed.reason().contains(originUrl), "the reason names the origin: " + failed.reason());
        assertEquals(503, runtime.describeStatus("relay"), "a failed stream is not offered");

        origin.restart();
        // Attempts at 1, 2, 4, 8, 16 s after the failure; the origin needs a few seconds to come up.
        awaitState("relay", StreamState.RUNNING, Duration.ofSeconds(120));
        assertFfmpegDecodes(runtime.url("relay"));
    }

    @Test
    void aLiveRelayShowsTheOriginsPictures() throws Exception {
        Streams streams = runtime.streams();
        streams.create("relaylive", "relay", Map.of("url", origin.url("live"), "transport", "UDP"));
        runtime.awaitRunning("relaylive", SHORT);

        double cpuBefore = processCpuSeconds();
        long wallBefore = System.nanoTime();
        List<Long> differences;
        try (Arrivals direct = Arrivals.play(origin.url("live"));
                Arrivals relayed = Arrivals.play(runtime.url("relaylive"))) {
            // Both viewers receive over UDP, which may lose a picture on a busy loopback: wait for 100 in common.
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            differences = relayed.delaysAfter(direct);
            while (differences.size() < 100 && System.nanoTime() < deadline) {
                Thread.sleep(500);
                differences = relayed.delaysAfter(direct);
            }
        }
        double cpu = (processCpuSeconds() - cpuBefore) / ((System.nanoTime() - wallBefore) / 1e9);

        assertTrue(differences.size() >= 100, "pictures of the origin that came through the relay: "
                + differences.size());
        differences.sort(null);
        double p50 = differences.get(differences.size() / 2) / 1e6;
        double p95 = differences.get(differences.size() * 95 / 100) / 1e6;
        String report = String.format(java.util.Locale.ROOT, "relay latency over %d frames: p50 %.2f ms, p95 %.2f ms; "
                + "relay runtime (with both test viewers) CPU %.1f %% of one core%n", differences.size(), p50, p95,
                cpu * 100);
        System.out.print(report);
        Files.writeString(targetDirectory().resolve("relay-latency.txt"), report);
    }

    private static void assertFfmpegDecodes(String url) throws Exception {
        Processes.Result ffmpeg = Processes.run(Duration.ofSeconds(60), "ffmpeg", "-nostdin", "-v", "error",
                "-rtsp_transport", "tcp", "-i", url, "-frames:v", "60", "-f", "null", "-");
        assertTrue(ffmpeg.ok(), "ffmpeg failed:\n" + Processes.tail(ffmpeg.output()));
        assertEquals("", ffmpeg.output().strip(), "ffmpeg decodes without a complaint");
    }

    private static StreamInfo awaitState(String name, StreamState state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<StreamInfo> now = Optional.empty();
        while (System.nanoTime() < deadline) {
            now = runtime.streams().get(name);
            if (now.isPresent() && now.get().state() == state) {
                return now.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("stream " + name + " not " + state + " within " + timeout + ": " + now);
    }

    /** integration-tests/target: the framework's working directory is elsewhere. */
    private static Path targetDirectory() {
        return Path.of(runtime.context().getProperty("tributary.media")).toAbsolutePath().getParent();
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * A second Tributary runtime as its own process, on free ports, with its demo and a live JPEG stream
     * {@code /live} (a GStreamer test pattern, created through its REST API); killed as a crash would, and started
     * again on the same ports and data.
     */
    static final class Origin {
        private final Path data;
        private final int rtspPort;
        private final int httpPort;
        private Process process;
        private boolean liveCreated;

        private Origin(Path data, int rtspPort, int httpPort) {
            this.data = data;
            this.rtspPort = rtspPort;
            this.httpPort = httpPort;
        }

        static Origin start() throws Exception {
            Path data = Files.createTempDirectory(targetDirectory(), "relay-origin-");
            Path deploy = Files.createDirectories(data.resolve("deploy"));
            Files.writeString(deploy.resolve("org.tributary.transport.udp.cfg"), "rtpPort=0\n");
            Origin o = new Origin(data, TributaryRuntime.freeTcpPort(), TributaryRuntime.freeTcpPort());
            o.restart();
            o.createLiveStream();
            return o;
        }

        /** Creates {@code /live} through the origin's REST API; it is kept in the origin's configuration. */
        private void createLiveStream() throws Exception {
            java.net.HttpURLConnection http = (java.net.HttpURLConnection) new java.net.URL(
                    "http://127.0.0.1:" + httpPort + "/api/streams").openConnection();
            http.setRequestMethod("POST");
            http.setDoOutput(true);
            http.setRequestProperty("Content-Type", "application/json");
            http.getOutputStream().write(("{\"name\":\"live\",\"type\":\"gstreamer\",\"settings\":{\"pipeline\":\""
                    + LIVE_PIPELINE + "\"}}").getBytes(StandardCharsets.UTF_8));
            assertEquals(201, http.getResponseCode(), "creating /live on the origin");
            http.disconnect();
            liveCreated = true;
            awaitDescribe("live");
        }

        String url(String path) {
            return "rtsp://127.0.0.1:" + rtspPort + "/" + path;
        }

        void restart() throws Exception {
            String jar = runtime.context().getProperty("tributary.runtime.jar");
            assertNotNull(jar, "the framework property tributary.runtime.jar (it.bndrun) names runtime/target/tributary.jar");
            Path home = Path.of(jar).toAbsolutePath().getParent();
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dtributary.home=" + home, "-Dtributary.rtsp.port=" + rtspPort,
                    "-Dorg.osgi.service.http.port=" + httpPort, "-Dtributary.data=" + data,
                    "-Dfelix.cm.dir=" + data.resolve("config"), "-Dorg.osgi.framework.storage=" + data.resolve("cache"),
                    "-Dfelix.fileinstall.dir=" + data.resolve("deploy"), "-Dtributary.media=" + data.resolve("media"),
                    "-Dtributary.stream=false", "-Dgosh.args=--noshutdown", "-Dorg.jline.terminal.dumb=true",
                    "-jar", jar);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("origin.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            awaitDescribe("demo");
            if (liveCreated) {
                awaitDescribe("live");
            }
        }

        private void awaitDescribe(String path) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (describeStatus(path) != 200) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    kill();
                    throw new AssertionError("the origin runtime did not serve /" + path + ":\n"
                            + Processes.tail(Files.readString(data.resolve("origin.log"))));
                }
                Thread.sleep(200);
            }
        }

        void kill() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }

        private int describeStatus(String path) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", rtspPort), 1000);
                s.setSoTimeout(5000);
                s.getOutputStream().write(("DESCRIBE " + url(path) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.ISO_8859_1)).readLine();
                return line != null && line.startsWith("RTSP/1.0 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
    }

    /** A client that keeps when each picture (by its JPEG scan data) first arrived. */
    static final class Arrivals implements RtspClientListener, AutoCloseable {
        private final Map<ByteBuffer, List<Long>> seen = new HashMap<>();
        private final RtspClient client;

        private Arrivals(String url) throws IOException {
            client = RtspClient.start(url, RtspClientOptions.builder().transport(LowerTransport.UDP).build(), this);
        }

        static Arrivals play(String url) throws IOException {
            return new Arrivals(url);
        }

        @Override
        public void onFrame(ReceivedFrame frame) {
            try {
                ByteBuffer scan = Jfif.parse(frame.data()).scanData();
                ByteBuffer key = ByteBuffer.allocate(scan.remaining()).put(scan).flip();
                synchronized (seen) {
                    seen.computeIfAbsent(key, k -> new ArrayList<>()).add(frame.receivedAtNanos());
                }
            } catch (JpegException e) {
                throw new AssertionError(e);
            }
        }

        /**
         * For each picture this client got, how much later it came than the same picture at {@code earlier}: the
         * nearest earlier arrival there (the test pattern repeats pictures, seconds apart).
         */
        List<Long> delaysAfter(Arrivals earlier) {
            List<Long> delays = new ArrayList<>();
            synchronized (seen) {
                synchronized (earlier.seen) {
                    seen.forEach((picture, times) -> {
                        List<Long> there = earlier.seen.get(picture);
                        if (there == null) {
                            return;
                        }
                        for (long t : times) {
                            long delay = Long.MAX_VALUE;
                            for (long e : there) {
                                if (e <= t + 5_000_000 && Math.abs(t - e) < Math.abs(delay)) {
                                    delay = t - e;
                                }
                            }
                            if (Math.abs(delay) < 1_000_000_000L) {
                                delays.add(delay);
                            }
                        }
                    });
                }
            }
            return delays;
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
