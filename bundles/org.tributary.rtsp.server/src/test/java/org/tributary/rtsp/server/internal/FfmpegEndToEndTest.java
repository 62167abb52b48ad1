package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.BundleContext;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;
import org.tributary.api.MediaInfo;
import org.tributary.api.MediaSource;
import org.tributary.api.OnDemandSource;
import org.tributary.api.Transport;
import org.tributary.core.internal.StreamCore;
import org.tributary.transport.tcp.internal.TcpSettings;
import org.tributary.transport.tcp.internal.TcpTransport;
import org.tributary.transport.udp.internal.UdpSettings;
import org.tributary.transport.udp.internal.UdpTransport;

/**
 * Real FFmpeg and GStreamer against the server with the real stream core and the UDP and TCP transports:
 * DESCRIBE, SETUP over UDP or interleaved TCP, PLAY, decoded RFC 2435 frames, TEARDOWN. Skipped where the
 * client is not installed.
 */
class FfmpegEndToEndTest {

    private static final int FRAMES = 50;

    @ParameterizedTest
    @ValueSource(strings = {"udp", "tcp"})
    void ffmpegPlaysThirtyFrames(String transport) throws Exception {
        assertTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg is needed (scripts/install-deps.sh)");
        String log = play(url -> List.of("ffmpeg", "-hide_banner", "-nostdin", "-rtsp_transport", transport, "-i", url,
                "-frames:v", "30", "-f", "null", "-"));
        assertTrue(log.contains("Video: mjpeg"), log);
        assertTrue(log.matches("(?s).*frame=\\s*30 .*"), log);
    }

    @Test
    void gstreamerPlaysThirtyFramesOverTcp() throws Exception {
        assertTrue(new File("/usr/bin/gst-launch-1.0").canExecute(), "gst-launch-1.0 is needed (scripts/install-deps.sh)");
        String log = play(url -> List.of("gst-launch-1.0", "rtspsrc", "location=" + url, "protocols=tcp", "!",
                "rtpjpegdepay", "!", "jpegdec", "!", "fakesink", "num-buffers=30"));
        assertTrue(log.contains("Got EOS"), log);
    }

    /** Runs the client {@code command} makes for the clip's URL, the server offering both transports; its output. */
    private static String play(Function<String, List<String>> command) throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            images.add(Fakes.jpeg(320, 240, i * 5));
        }
        StreamCore core = new StreamCore((BundleContext) null);
        Method bind = StreamCore.class.getDeclaredMethod("bindSource", MediaSource.class, Map.class);
        bind.setAccessible(true);
        bind.invoke(core, new Clip(images), Map.of(MediaSource.STREAM_NAME, "x", MediaSource.SOURCE_TYPE, "test",
                "service.id", 1L));
        UdpTransport udp = new UdpTransport(UdpSettings.defaults(InetAddress.getLoopbackAddress(), 0));
        TcpTransport tcp = new TcpTransport(TcpSettings.defaults());
        TransportRegistry transports = new TransportRegistry();
        transports.add(udp, Map.of(Transport.PROFILE, "RTP/AVP"));
        transports.add(tcp, Map.of(Transport.PROFILE, "RTP/AVP/TCP"));
        RtspServer server = new RtspServer(RtspSettings.defaults(0), core, transports);
        try {
            int port = server.start();
            // Over UDP the client has bound its RTP port before SETUP, and the server sends only after PLAY,
            // paced at the clip's 25 fps, so loopback does not drop its packets.
            List<String> line = command.apply("rtsp://127.0.0.1:" + port + "/x");
            Process client = new ProcessBuilder(line).redirectErrorStream(true).start();
            boolean done = client.waitFor(60, TimeUnit.SECONDS);
            if (!done) {
                client.destroyForcibly();
            }
            String log = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(done, line.get(0) + " finished in time:\n" + log);
            assertEquals(0, client.exitValue(), log);
            return log;
        } finally {
            server.close();
            udp.close();
            tcp.close();
            Method deactivate = StreamCore.class.getDeclaredMethod("deactivate");
            deactivate.setAccessible(true);
            deactivate.invoke(core);
        }
    }

    /** A 25 fps on-demand clip of generated JPEG images. */
    private record Clip(List<byte[]> images) implements OnDemandSource {

        @Override
        public MediaInfo info() {
            return MediaInfo.jpeg(320, 240, 25, Duration.ofMillis(40L * images.size()));
        }

        @Override
        public FrameReader open() {
            return new FrameReader() {
                int next;

                @Override
                public Frame next() {
                    if (next >= images.size()) {
                        return null;
                    }
                    int i = next++;
                    return new Frame(Codec.JPEG, i, i * 40_000_000L, true, ByteBuffer.wrap(images.get(i)));
                }

                @Override
                public Duration seek(Duration position) {
                    next = (int) Math.min(images.size() - 1, position.toMillis() / 40);
                    return Duration.ofMillis(next * 40L);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
