package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tributary.api.MediaInfo;

/** The server on a real port: replies over TCP, the lab client's unterminated requests, ports, threads. */
class RtspServerTest {

    private final Fakes.FakeStreams streams = new Fakes.FakeStreams()
            .add("movie.Mjpeg", MediaInfo.jpeg(64, 48, 20, Duration.ofSeconds(5)));
    private final TransportRegistry transports = new TransportRegistry();

    @Test
    void answersOverTcpAndLeavesNoThreadWhenClosed() throws Exception {
        Fakes.RecordingTransport udp = new Fakes.RecordingTransport("RTP/AVP");
        transports.add(udp, udp.properties());
        RtspServer server = new RtspServer(RtspSettings.defaults(0), streams, transports);
        int port = server.start();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = read(socket.getInputStream(), "\r\n\r\n");
            assertTrue(reply.startsWith("RTSP/1.0 200 OK\r\nCSeq: 1\r\n"), reply);

            out.write("SETUP movie.Mjpeg RTSP/1.0\nCSeq: 2\nTransport: RTP/UDP; client_port= 25000"
                    .getBytes(StandardCharsets.US_ASCII));
            long sent = System.nanoTime();
            String lab = read(socket.getInputStream(), null);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
            assertTrue(lab.matches("RTSP/1\\.0 200 OK\nCSeq: 2\nSession: [0-9]{8}"), lab);
            assertTrue(waited >= 140, "answered after the idle gap, " + waited + " ms");
            assertEquals(1, server.sessions().size());
        } finally {
            server.close();
        }
        assertEquals(0, server.sessions().size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rtspThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, rtspThreads(), "threads left: " + Thread.getAllStackTraces().keySet());
    }

    @Test
    void aTakenPortIsABindException() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            RtspServer server = new RtspServer(RtspSettings.defaults(taken.getLocalPort()), streams, transports);
            try {
                assertThrows(BindException.class, server::start);
            } finally {
                server.close();
            }
        }
    }

    @Test
    void portComesFromConfigurationThenFrameworkPropertyThenDefault() {
        assertEquals(9000, RtspServerComponent.resolvePort(9000, "7000"));
        assertEquals(7000, RtspServerComponent.resolvePort(-1, "7000"));
        assertEquals(7000, RtspServerComponent.resolvePort(null, " 7000 "));
        assertEquals(8554, RtspServerComponent.resolvePort(-1, null));
        assertEquals(8554, RtspServerComponent.resolvePort("nonsense", "99999"));
    }

    private static long rtspThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("tributary-rtsp-")).count();
    }

    /** Reads until {@code end} (or, when null, until nothing more arrives for 300 ms). */
    private static String read(InputStream in, String end) throws IOException {
        StringBuilder s = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (end == null || s.indexOf(end) < 0) {
            if (end == null && s.length() > 0 && in.available() == 0) {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (in.available() == 0) {
                    break;
                }
            }
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            s.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        return s.toString();
    }
}
