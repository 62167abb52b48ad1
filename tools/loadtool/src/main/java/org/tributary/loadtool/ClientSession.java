package org.tributary.loadtool;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.tributary.rtp.RtpException;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtp.sdp.SdpParser;
import org.tributary.rtp.sdp.SessionDescription;

/**
 * One RTSP client playing one stream over RTP/UDP: OPTIONS, DESCRIBE, SETUP of the first video track with
 * {@code client_port} on an even/odd UDP pair, PLAY, keepalives, TEARDOWN. Its packets are received by the
 * shared {@link UdpReceiver} into this session's {@link SessionStats}.
 *
 * <p>Thread-safe in the way the tool uses it: {@link #start} on one thread, then {@link #keepalive} and
 * {@link #stop} on others; the RTSP connection serializes requests. The first failure is kept.
 */
final class ClientSession {

    private static final int SOCKET_BUFFER = 1 << 20;
    private static final int TIMEOUT_MILLIS = 10_000;

    private final int id;
    private final URI url;
    private volatile SessionStats stats;
    private volatile String failure;
    private RtspConnection rtsp;
    private DatagramChannel rtp;
    private DatagramChannel rtcp;
    private String sessionId;
    private String aggregateUrl;
    private String keepaliveMethod = "OPTIONS";
    private int timeoutSeconds = 60;
    private long playNanos;
    private long stopNanos;

    ClientSession(int id, URI url) {
        this.id = id;
        this.url = url;
    }

    int id() {
        return id;
    }

    /** The statistics, or {@code null} when the session failed before SETUP. */
    SessionStats stats() {
        return stats;
    }

    /** Why the session failed, {@code null} while it has not. */
    String failure() {
        return failure;
    }

    /** The session timeout the server announced, in seconds (60 when it announced none). */
    int timeoutSeconds() {
        return timeoutSeconds;
    }

    /** How long the session played, from PLAY's response to TEARDOWN, in seconds; 0 when it never played. */
    double playedSeconds() {
        return playNanos == 0 || stopNanos == 0 ? 0 : (stopNanos - playNanos) / 1e9;
    }

    /**
     * Sets up and plays the stream; on failure records why, closes everything and returns false.
     */
    boolean start(UdpReceiver receiver) {
        try {
            rtsp = new RtspConnection(url, TIMEOUT_MILLIS);
            String target = url.toString();
            RtspConnection.Response options = expectOk("OPTIONS", target, Map.of());
            String methods = options.header("public");
            if (methods != null && methods.toUpperCase(Locale.ROOT).contains("GET_PARAMETER")) {
                keepaliveMethod = "GET_PARAMETER";
            }
            RtspConnection.Response describe = expectOk("DESCRIBE", target, Map.of("Accept", "application/sdp"));
            String base = describe.header("content-base");
            if (base == null) {
                base = describe.header("content-location");
            }
            if (base == null) {
                base = target;
            }
            SessionDescription sdp = SdpParser.parse(describe.body());
            MediaDescription video = sdp.media().stream()
                    .filter(m -> m.type().equals("video"))
                    .findFirst()
                    .orElseThrow(() -> new IOException("DESCRIBE " + target + ": the SDP has no video track"));
            stats = new SessionStats(video.clockRate() > 0 ? video.clockRate() : 90_000);
            aggregateUrl = sdp.control() != null && sdp.control().startsWith("rtsp://") ? sdp.control() : base;

            bindPortPair(rtsp.localAddress());
            int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
            receiver.register(rtp, rtcp, stats);
            Map<String, String> setupHeaders = new LinkedHashMap<>();
            setupHeaders.put("Transport", "RTP/AVP;unicast;client_port=" + port + "-" + (port + 1));
            RtspConnection.Response setup = expectOk("SETUP", resolve(base, video.control()), setupHeaders);
            String session = setup.header("session");
            if (session == null) {
                throw new IOException("SETUP: the response has no Session header");
            }
            parseSession(session);
            String transport = setup.header("transport");
            if (transport == null || !transport.contains("client_port")) {
                throw new IOException("SETUP: the server did not accept RTP/UDP to client_port " + port
                        + " (Transport: " + transport + ")");
            }
            expectOk("PLAY", aggregateUrl, Map.of("Session", sessionId, "Range", "npt=0.000-"));
            playNanos = System.nanoTime();
            return true;
        } catch (IOException | RtpException | RuntimeException e) {
            String hint = e instanceof SocketException && !(e instanceof ConnectException)
                    // A server at its connection limit accepts and then closes; the bare reset hides that.
                    ? " (the server closed the connection: a connection limit such as maxConnectionsPerAddress"
                            + " of org.tributary.rtsp.server?)"
                    : "";
            fail("start: " + describe(e) + hint);
            closeQuietly();
            return false;
        }
    }

    /** Refreshes the server's session timer. */
    void keepalive() {
        if (failure != null || sessionId == null) {
            return;
        }
        try {
            expectOk(keepaliveMethod, keepaliveMethod.equals("OPTIONS") ? "*" : aggregateUrl,
                    Map.of("Session", sessionId));
        } catch (IOException | RuntimeException e) {
            fail("keepalive " + keepaliveMethod + ": " + describe(e));
        }
    }

    /** Sends TEARDOWN and closes the RTSP connection; the UDP channels stay open for late packets. */
    void stop() {
        stopNanos = System.nanoTime();
        if (rtsp == null) {
            return;
        }
        try {
            if (failure == null && sessionId != null) {
                expectOk("TEARDOWN", aggregateUrl, Map.of("Session", sessionId));
            }
        } catch (IOException | RuntimeException e) {
            fail("TEARDOWN: " + describe(e));
        } finally {
            rtsp.close();
        }
    }

    /** Closes the UDP channels; call after the receiver has stopped. */
    void closeChannels() {
        for (DatagramChannel channel : new DatagramChannel[] {rtp, rtcp}) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Best effort at the end of the run.
                }
            }
        }
    }

    /** Marks the session failed when it played but received no RTP at all. */
    void checkReceived() {
        if (failure == null && stats != null && stats.packets() == 0) {
            fail("no RTP packet received in " + String.format(Locale.ROOT, "%.1f", playedSeconds()) + " s of PLAY");
        }
    }

    private RtspConnection.Response expectOk(String method, String target, Map<String, String> headers)
            throws IOException {
        RtspConnection.Response response = rtsp.request(method, target, headers);
        if (response.status() != 200) {
            throw new IOException(method + " " + target + " answered " + response.status() + " "
                    + response.reason());
        }
        return response;
    }

    private void parseSession(String header) {
        String[] parts = header.split(";");
        sessionId = parts[0].strip();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.toLowerCase(Locale.ROOT).startsWith("timeout=")) {
                try {
                    timeoutSeconds = Math.max(1, Integer.parseInt(part.substring(8).strip()));
                } catch (NumberFormatException ignored) {
                    // Keep RFC 2326's default of 60 s.
                }
            }
        }
    }

    /**
     * Binds RTP to an even port and RTCP to the next one (RFC 3550 §11), on the address the RTSP connection
     * uses so the traffic stays on the interface the server sees.
     */
    private void bindPortPair(InetAddress address) throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = 20_000 + 2 * random.nextInt(20_000);
            DatagramChannel even = open();
            try {
                even.bind(new InetSocketAddress(address, port));
            } catch (BindException e) {
                even.close();
                continue;
            }
            DatagramChannel odd = open();
            try {
                odd.bind(new InetSocketAddress(address, port + 1));
            } catch (BindException e) {
                odd.close();
                even.close();
                continue;
            }
            rtp = even;
            rtcp = odd;
            return;
        }
        throw new IOException("no free even/odd UDP port pair found on " + address.getHostAddress());
    }

    private static DatagramChannel open() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
        channel.configureBlocking(false);
        return channel;
    }

    /** A track's control URL per RFC 2326 §C.1.1 as FFmpeg builds it: absolute as is, else base + "/" + control. */
    static String resolve(String base, String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return base;
        }
        if (control.regionMatches(true, 0, "rtsp://", 0, 7) || control.regionMatches(true, 0, "rtsps://", 0, 8)) {
            return control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    private void fail(String why) {
        if (failure == null) {
            failure = why;
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private void closeQuietly() {
        if (rtsp != null) {
            rtsp.close();
        }
    }
}
