package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.tributary.rtsp.client.LowerTransport;

/**
 * DESIGN.md's hot-swap rules, each done while real clients play: a transport, a source and the RTSP server
 * bundle are stopped or uninstalled and come back; what depended on them ends cleanly, the rest plays on.
 * Each scenario runs {@code TRIBUTARY_HOTSWAP_REPEAT} times in a row (default 3).
 */
class HotSwapTest {

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration SHORT = Duration.ofSeconds(60);

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
    }

    static int repeat() {
        String value = System.getenv("TRIBUTARY_HOTSWAP_REPEAT");
        return value == null || value.isBlank() ? 3 : Integer.parseInt(value.trim());
    }

    @Test
    void stoppingOrUninstallingTheUdpTransportEndsOnlyUdpSessions() throws Exception {
        for (int round = 1; round <= repeat(); round++) {
            boolean uninstall = round % 2 == 0;
            List<Viewer> udp = new ArrayList<>();
            List<Viewer> tcp = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    udp.add(Viewer.play(runtime.url("demo"), LowerTransport.UDP));
                    tcp.add(Viewer.play(runtime.url("demo"), LowerTransport.TCP));
                }
                for (Viewer v : udp) {
                    v.awaitMoreFrames(5, SHORT);
                }
                for (Viewer v : tcp) {
                    v.awaitMoreFrames(5, SHORT);
                }

                Bundle transport = runtime.bundle("org.tributary.transport.udp");
                if (uninstall) {
                    transport.uninstall();
                    Frameworks.refresh(runtime.context());
                } else {
                    transport.stop();
                }

                for (Viewer v : udp) {
                    assertTrue(v.awaitEnd(SHORT), "round " + round + ": a UDP session ends (RTCP BYE)");
                }
                for (Viewer v : tcp) {
                    v.awaitMoreFrames(25, SHORT);
                    assertFalse(v.awaitEnd(Duration.ZERO), "round " + round + ": TCP sessions go on");
                    // Interleaved delivery is lossless: every frame of the 25 fps demo, before and after the swap.
                    double step = v.largestStepInFrames(0, 25);
                    assertEquals(1.0, step, 1e-9, "round " + round + ": a TCP viewer missed no frame");
                }
                assertEquals(461, runtime.setupStatus("demo", "RTP/AVP;unicast;client_port=5000-5001"),
                        "round " + round + ": a UDP-only SETUP is refused");

                if (uninstall) {
                    runtime.install("org.tributary.transport.udp");
                } else {
                    transport.start();
                }
                try (Viewer again = Viewer.play(runtime.url("demo"), LowerTransport.UDP)) {
                    again.awaitMoreFrames(10, SHORT);
                }
            } finally {
                udp.forEach(Viewer::close);
                tcp.forEach(Viewer::close);
                runtime.install("org.tributary.transport.udp");
            }
        }
    }

    @Test
    void stoppingOrUninstallingTheFileSourceEndsItsStreamsAndTheyComeBackFromConfiguration() throws Exception {
        Path clip = Media.directory(runtime.context()).resolve("movie.Mjpeg").toAbsolutePath();
        TributaryRuntime.configureFactory(runtime.context(), "org.tributary.source.file", "hotswap",
                Map.of("name", "hotswap", "path", clip.toString(), "loop", true));
        runtime.awaitStream("hotswap", SHORT);
        for (int round = 1; round <= repeat(); round++) {
            boolean uninstall = round % 2 == 0;
            try (Viewer viewer = Viewer.play(runtime.url("hotswap"), LowerTransport.UDP)) {
                viewer.awaitMoreFrames(5, SHORT);
                Bundle source = runtime.bundle("org.tributary.source.file");
                if (uninstall) {
                    source.uninstall();
                    Frameworks.refresh(runtime.context());
                } else {
                    source.stop();
                }
                assertTrue(viewer.awaitEnd(SHORT), "round " + round + ": the viewer's session ends");
                assertEquals(404, runtime.describeStatus("hotswap"), "round " + round + ": DESCRIBE answers 404");
                assertEquals(404, runtime.describeStatus("demo"), "round " + round + ": the demo went too");

                if (uninstall) {
                    runtime.install("org.tributary.source.file");
                } else {
                    source.start();
                }
                runtime.awaitStream("hotswap", SHORT);
                runtime.awaitStream("demo", SHORT);
                try (Viewer again = Viewer.play(runtime.url("hotswap"), LowerTransport.UDP)) {
                    again.awaitMoreFrames(10, SHORT);
                }
            } finally {
                runtime.install("org.tributary.source.file");
            }
        }
    }

    @Test
    void stoppingTheRtspServerClosesItsPortWhileTheRestStaysAndItReopens() throws Exception {
        for (int round = 1; round <= repeat(); round++) {
            boolean uninstall = round % 2 == 0;
            Viewer viewer = Viewer.play(runtime.url("demo"), LowerTransport.TCP);
            try {
                viewer.awaitMoreFrames(5, SHORT);
                Bundle server = runtime.bundle("org.tributary.rtsp.server");
                if (uninstall) {
                    server.uninstall();
                    Frameworks.refresh(runtime.context());
                } else {
                    server.stop();
                }
                assertTrue(viewer.awaitEnd(SHORT), "round " + round + ": the viewer is told");
                assertThrows(ConnectException.class, () -> connect(runtime.rtspPort()),
                        "round " + round + ": the RTSP port is closed");
                assertNotNull(runtime.streams().get("demo").orElse(null), "round " + round + ": streams stay mounted");

                if (uninstall) {
                    runtime.install("org.tributary.rtsp.server");
                } else {
                    server.start();
                }
                runtime.awaitPort(SHORT);
                try (Viewer again = Viewer.play(runtime.url("demo"), LowerTransport.UDP)) {
                    again.awaitMoreFrames(10, SHORT);
                }
            } finally {
                viewer.close();
                runtime.install("org.tributary.rtsp.server");
                runtime.awaitPort(SHORT);
            }
        }
    }

    private static void connect(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}
