package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.tributary.api.MediaSource;
import org.tributary.api.Transport;
import org.tributary.core.internal.StreamCore;
import org.tributary.transport.tcp.internal.TcpSettings;
import org.tributary.transport.tcp.internal.TcpTransport;
import org.tributary.transport.udp.internal.UdpSettings;
import org.tributary.transport.udp.internal.UdpTransport;

/**
 * Real FFmpeg publishing into the server (ANNOUNCE, SETUP with mode=record, RECORD) over interleaved TCP and over
 * UDP, MJPEG and H.264, with the real stream core and transports: an FFmpeg viewer decodes the published stream,
 * and the publisher's end unmounts it. Skipped where FFmpeg is not installed.
 */
class FfmpegPublishTest {

    private StreamCore core;
    private UdpTransport udp;
    private TcpTransport tcp;
    private RtspServer server;
    private int port;
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg is needed (scripts/install-deps.sh)");
        core = new StreamCore((BundleContext) null);
        Method bind = StreamCore.class.getDeclaredMethod("bindSource", MediaSource.class, Map.class);
        Method unbind = StreamCore.class.getDeclaredMethod("unbindSource", MediaSource.class, Map.class);
        bind.setAccessible(true);
        unbind.setAccessible(true);
        AtomicLong ids = new AtomicLong(100);
        SourceRegistrar registrar = (name, source) -> {
            Map<String, Object> properties = Map.of(MediaSource.STREAM_NAME, name, MediaSource.SOURCE_TYPE,
                    SourceRegistrar.SOURCE_TYPE, "service.id", ids.incrementAndGet());
            invoke(bind, source, properties);
            return () -> invoke(unbind, source, properties);
        };
        udp = new UdpTransport(UdpSettings.defaults(InetAddress.getLoopbackAddress(), 0));
        tcp = new TcpTransport(TcpSettings.defaults());
        TransportRegistry transports = new TransportRegistry();
        transports.add(udp, Map.of(Transport.PROFILE, "RTP/AVP"));
        transports.add(tcp, Map.of(Transport.PROFILE, "RTP/AVP/TCP"));
        server = new RtspServer(RtspSettings.defaults(0), core, transports, registrar);
        port = server.start();
    }

    private void invoke(Method method, Object source, Map<String, Object> properties) {
        try {
            method.invoke(core, source, properties);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor();
        }
        if (server != null) {
            server.close();
            udp.close();
            tcp.close();
            Method deactivate = StreamCore.class.getDeclaredMethod("deactivate");
            deactivate.setAccessible(true);
            deactivate.invoke(core);
        }
    }

    @ParameterizedTest
    @CsvSource({ "mjpeg,tcp", "mjpeg,udp", "h264,tcp", "h264,udp" })
    void ffmpegPublishesAndAViewerDecodesThePublishedStream(String codec, String transport, @TempDir Path dir)
            throws Exception {
        Path clip = clip(codec, dir);
        // Over UDP, the publisher sends only after RECORD is answered, from ports the server has bound at SETUP,
        // and -re paces it at the clip's 25 fps, so loopback does not drop its packets.
        Process publisher = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-re", "-stream_loop", "-1", "-i",
                clip.toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport, url("live"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("publisher.log").toFile()).start();
        processes.add(publisher);
        awaitStream("live", dir);

        Process viewer = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "tcp", "-i",
                url("live"), "-frames:v", "30", "-f", "framemd5", "-").redirectErrorStream(true).start();
        processes.add(viewer);
        assertTrue(viewer.waitFor(60, TimeUnit.SECONDS), "viewer finished");
        String output = new String(viewer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, viewer.exitValue(), output);
        assertEquals(30, output.lines().filter(l -> l.startsWith("0,")).count(), output);

        assertTrue(server.sessions().list().stream().anyMatch(s -> s.stream().equals("live")
                && s.state() == org.tributary.api.SessionState.RECORDING && s.stats().packets() > 30),
                "the publisher is listed as recording: " + server.sessions().list());
        publisher.destroy();
        assertTrue(publisher.waitFor(30, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (core.get("live").isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(core.get("live").isEmpty(), "the publisher leaving unmounts the stream");
    }

    private void awaitStream(String name, Path dir) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (core.get(name).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not published:\n" + Files.readString(dir.resolve("publisher.log")));
            }
            Thread.sleep(50);
        }
    }

    private String url(String path) {
        return "rtsp://127.0.0.1:" + port + "/" + path;
    }

    /** A 4 s test pattern: MJPEG that RFC 2435 carries, or baseline H.264 with a keyframe every second. */
    static Path clip(String codec, Path dir) throws Exception {
        // Matroska, so -stream_loop can seek back (a raw H.264 file cannot be seeked).
        Path out = dir.resolve(codec + ".mkv");
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                "testsrc=size=320x240:rate=25", "-t", "4"));
        if (codec.equals("mjpeg")) {
            command.addAll(List.of("-c:v", "mjpeg", "-huffman", "default", "-pix_fmt", "yuvj420p", "-q:v", "5"));
        } else {
            command.addAll(List.of("-c:v", "libx264", "-profile:v", "baseline", "-g", "25", "-bf", "0", "-pix_fmt",
                    "yuv420p"));
        }
        command.add(out.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        return out;
    }
}
