package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;
import org.tributary.api.MediaInfo;
import org.tributary.api.MediaSource;
import org.tributary.api.OnDemandSource;
import org.tributary.core.internal.StreamCore;
import org.tributary.transport.udp.internal.UdpSettings;
import org.tributary.transport.udp.internal.UdpTransport;

/**
 * Real FFmpeg against the server with the real stream core and UDP transport: DESCRIBE, SETUP over UDP,
 * PLAY, 30 decoded RFC 2435 frames, TEARDOWN. Skipped where ffmpeg is not installed.
 */
class FfmpegEndToEndTest {

    private static final int FRAMES = 50;

    @Test
    void ffmpegPlaysThirtyFramesOverUdp() throws Exception {
        assumeTrue(new File("/usr/bin/ffmpeg").canExecute(), "ffmpeg not installed");
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < FRAMES; i++) {
            images.add(Fakes.jpeg(320, 240, i * 5));
        }
        StreamCore core = new StreamCore();
        Method bind = StreamCore.class.getDeclaredMethod("bindSource", MediaSource.class, Map.class);
        bind.setAccessible(true);
        bind.invoke(core, new Clip(images), Map.of(MediaSource.STREAM_NAME, "x", MediaSource.SOURCE_TYPE, "test",
                "service.id", 1L));
        UdpTransport udp = new UdpTransport(UdpSettings.defaults(InetAddress.getLoopbackAddress(), 0));
        TransportRegistry transports = new TransportRegistry();
        transports.add(udp, Map.of(org.tributary.api.Transport.PROFILE, "RTP/AVP"));
        RtspServer server = new RtspServer(RtspSettings.defaults(0), core, transports);
        try {
            int port = server.start();
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-rtsp_transport", "udp", "-i",
                    "rtsp://127.0.0.1:" + port + "/x", "-frames:v", "30", "-f", "null", "-")
                    .redirectErrorStream(true).start();
            boolean done = ffmpeg.waitFor(30, TimeUnit.SECONDS);
            String log = new String(ffmpeg.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                ffmpeg.destroyForcibly();
            }
            assertTrue(done, "ffmpeg finished in time:\n" + log);
            assertEquals(0, ffmpeg.exitValue(), log);
            assertTrue(log.contains("Video: mjpeg"), log);
            assertTrue(log.matches("(?s).*frame=\\s*30 .*"), log);
        } finally {
            server.close();
            udp.close();
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
