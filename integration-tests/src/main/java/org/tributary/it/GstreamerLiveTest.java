package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspClientOptions;

/**
 * Live streams from the GStreamer source through the RTSP server: real FFmpeg and GStreamer clients decode
 * H.264 and JPEG over UDP and TCP without an error, a viewer joining mid-stream starts at an IDR, and twenty
 * viewers of one stream cost one capture and one packetization per frame and all get the same packets.
 */
class GstreamerLiveTest {

    /** Bound hangs only: a busy machine takes as long as it needs within them. */
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        GstreamerStreams.install(runtime);
    }

    @AfterAll
    static void stop() throws Exception {
        GstreamerStreams.remove(runtime);
    }

    @ParameterizedTest
    @CsvSource({ "stream,udp", "stream,tcp", "gstjpeg,udp", "gstjpeg,tcp" })
    void ffmpegDecodes60FramesWithoutAnError(String stream, String transport) throws Exception {
        // UDP is the point for half of these: see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                transport, "-buffer_size", Processes.UDP_RECEIVE_BUFFER, "-i", runtime.url(stream), "-frames:v", "60",
                "-f", "framemd5", "-");
        assertTrue(r.ok(), r.output());
        assertDecodedCleanly(60, r.output());
    }

    /**
     * {@code onDemand=false}: the pipeline runs with no viewer (a JPEG pipeline's picture size is known only once
     * it has run), while an on-demand stream created beside it stays idle; stopping and starting work as usual.
     */
    @Test
    void anAlwaysOnPipelineRunsWithoutViewersAndAnOnDemandOneDoesNot() throws Exception {
        runtime.streams().create("gstalways", "gstreamer",
                Map.of("pipeline", GstreamerStreams.JPEG_PIPELINE, "onDemand", "false"));
        runtime.streams().create("gstidle", "gstreamer", Map.of("pipeline", GstreamerStreams.JPEG_PIPELINE));
        try {
            runtime.awaitStream("gstalways", Duration.ofSeconds(30));
            runtime.awaitStream("gstidle", Duration.ofSeconds(30));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (runtime.streams().get("gstalways").orElseThrow().info().width() == 0
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(320, runtime.streams().get("gstalways").orElseThrow().info().width(),
                    "the always-on pipeline ran without a viewer");
            assertEquals(0, runtime.streams().get("gstalways").orElseThrow().viewers());
            assertEquals(0, runtime.streams().get("gstidle").orElseThrow().info().width(),
                    "the on-demand pipeline did not run");

            Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport",
                    "tcp", "-i", runtime.url("gstalways"), "-frames:v", "10", "-f", "framemd5", "-");
            assertTrue(r.ok(), r.output());
            assertDecodedCleanly(10, r.output());
        } finally {
            runtime.streams().delete("gstalways");
            runtime.streams().delete("gstidle");
        }
    }

    /**
     * A pipeline whose JPEG pictures RTP cannot carry (4:4:4): the first viewer's PLAY is refused with the
     * reason, the stream is listed FAILED saying what to change, and later viewers are refused at DESCRIBE.
     */
    @ParameterizedTest
    @CsvSource({ "gst444udp,udp", "gst444tcp,tcp" })
    void aPipelineRtpCannotCarryFailsItsStreamAndTheViewerIsToldWhy(String name, String transport)
            throws Exception {
        runtime.streams().create(name, "gstreamer", Map.of("pipeline",
                "videotestsrc is-live=true ! video/x-raw,format=Y444,width=320,height=240,framerate=25/1 ! jpegenc"));
        try {
            runtime.awaitStream(name, Duration.ofSeconds(30));

            Processes.Result first = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error",
                    "-rtsp_transport", transport, "-i", runtime.url(name), "-frames:v", "10", "-f", "null", "-");

            assertFalse(first.ok(), first.output());
            assertTrue(first.output().contains("503") && first.output().contains("4:4:4"), first.output());
            StreamInfo info = runtime.streams().get(name).orElseThrow();
            assertEquals(StreamState.FAILED, info.state());
            assertTrue(info.reason().contains("format=I420"), info.reason());

            Processes.Result later = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error",
                    "-rtsp_transport", transport, "-i", runtime.url(name), "-frames:v", "10", "-f", "null", "-");
            assertFalse(later.ok(), later.output());
            assertTrue(later.output().contains("DESCRIBE failed: 503"), later.output());
        } finally {
            runtime.streams().delete(name);
        }
    }

    @ParameterizedTest
    @CsvSource({ "stream,udp,rtph264depay,avdec_h264", "stream,tcp,rtph264depay,avdec_h264",
            "gstjpeg,udp,rtpjpegdepay,jpegdec", "gstjpeg,tcp,rtpjpegdepay,jpegdec" })
    void gstLaunchDecodes60FramesToEndOfStream(String stream, String transport, String depayloader, String decoder)
            throws Exception {
        // UDP is the point for half of these: see Processes.UDP_RECEIVE_BUFFER for why the kernel drops nothing.
        Processes.Result r = Processes.run(CLIENT_TIMEOUT, "gst-launch-1.0", "rtspsrc",
                "location=" + runtime.url(stream), "protocols=" + transport,
                "udp-buffer-size=" + Processes.UDP_RECEIVE_BUFFER, "!", depayloader, "!", decoder, "!", "fakesink",
                "num-buffers=60");
        assertTrue(r.ok(), r.output());
        assertTrue(r.output().contains("Got EOS"), "gst-launch reached end of stream:\n" + Processes.tail(r.output()));
        // fakesink does not sync to the clock, so no warning is about a late machine: any is about the stream.
        assertFalse(r.output().contains("ERROR") || r.output().contains("WARNING"),
                "no error or warning:\n" + Processes.tail(r.output()));
    }

    @Test
    void aViewerJoiningMidStreamDecodesFromItsFirstFrame() throws Exception {
        try (Recorder first = Recorder.play(runtime.url(GstreamerStreams.H264), LowerTransport.UDP)) {
            // Two seconds of the 30 fps stream in, so that the next viewer joins between keyframes.
            first.awaitFrames(60, PATIENCE);

            // Interleaved in TCP: the point is where decoding starts, not the transport.
            Processes.Result r = Processes.run(CLIENT_TIMEOUT, "ffmpeg", "-nostdin", "-v", "error",
                    "-rtsp_transport", "tcp", "-i", runtime.url(GstreamerStreams.H264), "-frames:v", "30", "-f",
                    "framemd5", "-");
            assertTrue(r.ok(), r.output());
            assertDecodedCleanly(30, r.output());

            for (LowerTransport transport : LowerTransport.values()) {
                try (Recorder late = Recorder.play(runtime.url(GstreamerStreams.H264), transport)) {
                    late.awaitFrames(1, PATIENCE);
                    assertTrue(AnnexB.containsIdr(ByteBuffer.wrap(late.firstFrame())),
                            "the first access unit a late " + transport + " viewer gets is an IDR");
                }
            }
        }
    }

    @Test
    void twentyViewersCostOneCaptureAndOnePacketizationPerFrameAndGetTheSamePackets() throws Exception {
        String url = runtime.url(GstreamerStreams.H264);
        List<Recorder> viewers = new ArrayList<>();
        try {
            viewers.add(Recorder.play(url, LowerTransport.UDP));
            viewers.get(0).awaitFrames(30, PATIENCE);
            double oneViewer = cpuPercent(Duration.ofSeconds(3));

            // In parallel: each PLAY of a live stream is answered at the viewer's first keyframe, up to a second.
            ExecutorService starting = Executors.newFixedThreadPool(19);
            try {
                List<Future<Recorder>> started = new ArrayList<>();
                for (int i = 1; i < 20; i++) {
                    LowerTransport transport = i % 4 == 0 ? LowerTransport.TCP : LowerTransport.UDP;
                    started.add(starting.submit(() -> Recorder.play(url, transport)));
                }
                for (Future<Recorder> f : started) {
                    viewers.add(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
                }
            } finally {
                starting.shutdown();
            }
            for (Recorder v : viewers) {
                v.awaitFrames(2, PATIENCE);
            }
            int watching = runtime.streams().get(GstreamerStreams.H264).orElseThrow().viewers();
            long[] before = counters();
            double twentyViewers = cpuPercent(Duration.ofSeconds(3));
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            long[] after = counters();
            while (after[0] - before[0] < 30 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                after = counters();
            }
            long packetized = after[0] - before[0];
            long delivered = after[1] - before[1];

            System.out.printf("/stream CPU of the test JVM (server and in-process viewers): 1 viewer %.1f %%, "
                    + "20 viewers %.1f %%; %d frames packetized, %d delivered to %d viewers%n", oneViewer,
                    twentyViewers, packetized, delivered, watching);
            assertEquals(20, watching, "only this test's viewers watch");
            assertTrue(packetized >= 30, "the capture went on: " + packetized + " frames packetized");
            // One packetization per frame, not per viewer: every packetized frame went to all 20 viewers, give or
            // take the frames on their way while the two counters were read.
            assertTrue(Math.abs(delivered - 20 * packetized) <= 20 * 3,
                    "each packetized frame went to all 20 viewers: " + delivered + " deliveries, " + packetized
                            + " frames");

            Set<Long> common = null;
            for (Recorder v : viewers) {
                assertTrue(AnnexB.containsIdr(ByteBuffer.wrap(v.firstFrame())), "every viewer starts at an IDR");
                Set<Long> timestamps = new HashSet<>(v.frames.keySet());
                if (common == null) {
                    common = timestamps;
                } else {
                    common.retainAll(timestamps);
                }
            }
            assertTrue(common.size() >= 30, "frames every viewer received: " + common.size());
            for (long ts : common) {
                byte[] reference = viewers.get(0).frames.get(ts);
                for (Recorder v : viewers) {
                    assertTrue(Arrays.equals(reference, v.frames.get(ts)), "frame at RTP time " + ts
                            + " has the same bytes for every viewer (" + v.transport + ")");
                }
            }
        } finally {
            for (Recorder v : viewers) {
                v.close();
            }
        }
    }

    /** Only frame lines: anything FFmpeg prints at level error is a decoding error. */
    static void assertDecodedCleanly(int frames, String output) {
        List<String> lines = output.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        assertEquals(frames, lines.size(), "frames decoded; anything else printed is an error:\n"
                + Processes.tail(output));
        assertTrue(lines.stream().allMatch(l -> l.matches("0,\\s*-?\\d+,\\s*-?\\d+,\\s*\\d+,\\s*\\d+,\\s*[0-9a-f]{32}")),
                "only frame lines, no decoder errors:\n" + Processes.tail(output));
    }

    /**
     * Frames packetized and frames delivered on the H.264 stream, read together: read again until no frame was
     * packetized between the reads, so the two counters describe the same moment but for frames in flight.
     */
    private static long[] counters() throws Exception {
        while (true) {
            long packetized = GstreamerStreams.packetizedFrames(runtime, GstreamerStreams.H264);
            long delivered = GstreamerStreams.framesDelivered(runtime, GstreamerStreams.H264);
            if (GstreamerStreams.packetizedFrames(runtime, GstreamerStreams.H264) == packetized) {
                return new long[] { packetized, delivered };
            }
        }
    }

    /** The CPU this JVM used over {@code window}, in percent of one core. */
    private static double cpuPercent(Duration window) throws InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        Thread.sleep(window.toMillis());
        return 100.0 * (os.getProcessCpuTime() - cpu) / (System.nanoTime() - wall);
    }

    /** A viewer with the client library that keeps every frame's bytes by RTP timestamp. */
    static final class Recorder implements RtspClientListener, AutoCloseable {

        final Map<Long, byte[]> frames = new ConcurrentHashMap<>();
        final LowerTransport transport;
        private RtspClient client;

        // Guarded by this.
        private byte[] first;
        private int count;

        private Recorder(LowerTransport transport) {
            this.transport = transport;
        }

        static Recorder play(String url, LowerTransport transport) throws Exception {
            Recorder recorder = new Recorder(transport);
            recorder.client = RtspClient.start(url, RtspClientOptions.builder().transport(transport)
                    .connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(30)).build(), recorder);
            return recorder;
        }

        @Override
        public void onFrame(ReceivedFrame frame) {
            byte[] bytes = frame.toByteArray();
            frames.put(frame.rtpTimestamp(), bytes);
            synchronized (this) {
                if (first == null) {
                    first = bytes;
                }
                count++;
                notifyAll();
            }
        }

        synchronized byte[] firstFrame() {
            return first;
        }

        synchronized void awaitFrames(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (count < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + count + " of " + n + " frames within " + timeout + " ("
                            + transport + ")");
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        @Override
        public void close() {
            client.close();
        }
    }
}
