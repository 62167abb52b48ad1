package org.tributary.rtsp.client.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.tributary.api.Codec;
import org.tributary.rtp.Rtcp;
import org.tributary.rtp.RtcpPacket;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtp.sdp.SdpParser;
import org.tributary.rtp.sdp.SdpWriter;
import org.tributary.rtp.sdp.SessionDescription;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.ReceiverStatistics;
import org.tributary.rtsp.client.RtspClientListener;
import org.tributary.rtsp.client.RtspClientOptions;
import org.tributary.rtsp.client.RtspException;

/**
 * The client side of one RTSP session: the requests in order, the tracks, the receive threads and the
 * timer for keepalives and receiver reports. {@code RtspClient} is its public face and documents the
 * contract.
 *
 * <p>Requests are serialized by this object's monitor; {@link #close()} and {@link #statistics()} never
 * wait for it.
 */
public final class ClientSession implements RtspConnection.Handler, TrackReceiver.Sink {

    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long REPORT_INTERVAL_SECONDS = 5;

    private final RtspUrl url;
    private final RtspClientOptions options;
    private final Authenticator authenticator;
    private final int id = IDS.incrementAndGet();
    private final int ssrc = ThreadLocalRandom.current().nextInt();
    private final List<TrackReceiver> tracks = new CopyOnWriteArrayList<>();
    private final TrackReceiver[] byChannel = new TrackReceiver[256];
    private final Object deliveryLock = new Object();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile RtspConnection connection;
    private volatile RtspClientListener listener;
    private volatile boolean closing;
    private volatile String sessionId;
    private volatile LowerTransport transport;
    private int timeoutSeconds = 60;
    private Set<String> serverMethods = Set.of();
    private SessionDescription description;
    private String baseUrl;
    private String aggregateUrl;
    /** Guards creating and stopping the threads, so close() never misses one that setup() starts. */
    private final Object lifecycleLock = new Object();
    private UdpReceiver udp;
    private ScheduledExecutorService timer;
    private volatile Thread timerThread;
    private boolean reporting;
    private String cname;

    public ClientSession(String url, RtspClientOptions options) {
        this.url = RtspUrl.parse(url);
        this.options = options;
        String user = options.username() != null ? options.username() : this.url.username();
        String pass = options.username() != null ? options.password() : this.url.password();
        this.authenticator = user == null ? null : new Authenticator(user, pass == null ? "" : pass);
        this.transport = options.transport();
        this.baseUrl = this.url.requestUrl();
        this.aggregateUrl = baseUrl;
    }

    public synchronized void connect() throws IOException {
        if (connection != null) {
            throw new IllegalStateException("already connected to " + url.requestUrl());
        }
        checkOpen();
        connection = RtspConnection.open(url.host(), url.port(), options.connectTimeout(), this,
                threadName("rtsp"));
        if (closing) {
            // close() ran while the socket was connecting and found no connection to close.
            connection.close();
            throw new IllegalStateException("the client is closed");
        }
        cname = "tributary@" + SdpWriter.literal(connection.localAddress());
        try {
            RtspResponse reply = request("OPTIONS", url.requestUrl(), Map.of());
            String methods = reply.header("Public");
            if (methods != null) {
                Set<String> set = new LinkedHashSet<>();
                for (String m : methods.split(",")) {
                    set.add(m.strip().toUpperCase(Locale.ROOT));
                }
                serverMethods = Collections.unmodifiableSet(set);
            }
        } catch (RtspException e) {
            // Some servers refuse OPTIONS; DESCRIBE will say whether the stream is there.
            if (e.status() == 401) {
                throw e;
            }
        }
    }

    public synchronized SessionDescription describe() throws IOException {
        requireConnection();
        RtspResponse reply = request("DESCRIBE", url.requestUrl(), Map.of("Accept", "application/sdp"));
        String type = reply.header("Content-Type");
        if (type != null && !type.toLowerCase(Locale.ROOT).startsWith("application/sdp")) {
            throw new IOException("DESCRIBE " + url.requestUrl() + " answered " + type + ", not application/sdp");
        }
        try {
            description = SdpParser.parse(reply.bodyText());
        } catch (RtpException e) {
            throw new IOException("the server's session description for " + url.requestUrl()
                    + " is not usable: " + e.getMessage(), e);
        }
        String base = reply.header("Content-Base");
        if (base == null) {
            base = reply.header("Content-Location");
        }
        baseUrl = base != null ? base : url.requestUrl();
        aggregateUrl = RtspUrl.resolve(baseUrl, description.control());
        return description;
    }

    /** SETUP for every video track this client can depacketize; returns those tracks' descriptions. */
    public synchronized List<MediaDescription> setup(RtspClientListener listener) throws IOException {
        requireConnection();
        if (description == null) {
            throw new IllegalStateException("call describe() before setup()");
        }
        if (!tracks.isEmpty()) {
            throw new IllegalStateException("tracks are already set up");
        }
        this.listener = listener;
        List<MediaDescription> playable = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<MediaDescription> media = description.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            Codec codec = Depacketizers.codec(m).orElse(null);
            if (!"video".equalsIgnoreCase(m.type()) || codec == null || !Depacketizers.supports(codec)) {
                skipped.add(m.type() + " " + m.encodingName());
                continue;
            }
            TrackReceiver track = new TrackReceiver(i, codec, m, RtspUrl.resolve(baseUrl, m.control()),
                    options.jitterBufferDepth(), options.jpegPacketization(), this);
            setupTrack(track);
            tracks.add(track);
            playable.add(m);
        }
        if (tracks.isEmpty()) {
            throw new IOException(url.requestUrl() + " has no video track this client can play (found "
                    + (skipped.isEmpty() ? "none" : String.join(", ", skipped)) + ")");
        }
        synchronized (lifecycleLock) {
            if (udp != null && !closing) {
                udp.start();
            }
        }
        long keepalive = Math.max(1, timeoutSeconds / 2);
        timer().scheduleAtFixedRate(this::keepalive, keepalive, keepalive, TimeUnit.SECONDS);
        return List.copyOf(playable);
    }

    public synchronized void play(Duration from) throws IOException {
        requireSession();
        Map<String, String> headers = new LinkedHashMap<>();
        if (from != null) {
            headers.put("Range", String.format(Locale.ROOT, "npt=%.3f-", from.toNanos() / 1e9));
        }
        request("PLAY", aggregateUrl, headers);
        if (!reporting) {
            reporting = true;
            timer().scheduleAtFixedRate(this::sendReports, REPORT_INTERVAL_SECONDS, REPORT_INTERVAL_SECONDS,
                    TimeUnit.SECONDS);
        }
    }

    public synchronized void pause() throws IOException {
        requireSession();
        request("PAUSE", aggregateUrl, Map.of());
    }

    public synchronized void teardown() throws IOException {
        requireSession();
        try {
            request("TEARDOWN", aggregateUrl, Map.of());
        } finally {
            sessionId = null;
            stopReceiving();
        }
    }

    public ReceiverStatistics statistics() {
        long now = System.nanoTime();
        long frames = 0;
        long fps = 0;
        long bytesPerSecond = 0;
        long bytes = 0;
        long packets = 0;
        long lost = 0;
        long dropped = 0;
        long jitter = 0;
        double jitterMillis = 0;
        int lastSequence = -1;
        boolean bye = !tracks.isEmpty();
        for (TrackReceiver t : tracks) {
            TrackStatistics s = t.stats;
            frames += s.frames();
            fps += s.framesLastSecond(now);
            bytesPerSecond += s.bytesLastSecond(now);
            bytes += s.bytes();
            packets += s.packets();
            lost += s.lost();
            dropped += t.droppedFrames();
            jitter = Math.max(jitter, s.jitter());
            jitterMillis = Math.max(jitterMillis, s.jitterMillis());
            if (lastSequence < 0) {
                lastSequence = s.lastSequence();
            }
            bye &= s.byeReceived();
        }
        return new ReceiverStatistics(frames, fps, bytesPerSecond * 8, bytes, packets, lost, dropped, jitter,
                jitterMillis, lastSequence, bye);
    }

    public SessionDescription sessionDescription() {
        return description;
    }

    public LowerTransport transport() {
        return transport;
    }

    public String sessionId() {
        return sessionId;
    }

    public Set<String> serverMethods() {
        return serverMethods;
    }

    /** Ends the session (TEARDOWN if still possible, without waiting long), the threads and the sockets. */
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        RtspConnection c = connection;
        String session = sessionId;
        if (c != null && c.isOpen() && session != null) {
            try {
                c.send("TEARDOWN", aggregateUrl, headers("TEARDOWN", aggregateUrl, Map.of()))
                        .get(Math.min(1000, options.readTimeout().toMillis()), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // The server will time the session out; closing must not hang on it.
            }
        }
        stopReceiving();
        if (c != null) {
            c.close();
        }
    }

    // --- receive side, called on the receive threads ---

    @Override
    public void onInterleaved(int channel, ByteBuffer data) {
        TrackReceiver track = byChannel[channel];
        if (track == null) {
            return;
        }
        try {
            if (channel == track.rtcpChannel) {
                track.rtcp(data, System.nanoTime());
            } else {
                track.rtp(data, System.nanoTime());
            }
        } catch (RuntimeException e) {
            error(e);
        }
    }

    @Override
    public void onClosed(IOException cause) {
        if (!closing && sessionId != null) {
            end("connection to " + url.host() + ":" + url.port() + " lost: "
                    + (cause == null ? "closed" : cause.getMessage()));
        }
    }

    @Override
    public void frame(ReceivedFrame frame) {
        RtspClientListener l = listener;
        synchronized (deliveryLock) {
            if (closing || ended.get() || l == null) {
                return;
            }
            try {
                l.onFrame(frame);
            } catch (RuntimeException e) {
                errorLocked(l, e);
            }
        }
    }

    @Override
    public void bye(TrackReceiver track, String reason) {
        for (TrackReceiver t : tracks) {
            if (!t.stats.byeReceived()) {
                return;
            }
        }
        end("server sent BYE" + (reason == null || reason.isBlank() ? "" : ": " + reason));
    }

    private void end(String reason) {
        RtspClientListener l = listener;
        if (closing || l == null || !ended.compareAndSet(false, true)) {
            return;
        }
        synchronized (deliveryLock) {
            try {
                l.onEnd(reason);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "RTSP client listener failed in onEnd", e);
            }
        }
    }

    private void error(Exception e) {
        RtspClientListener l = listener;
        if (l == null || closing) {
            return;
        }
        synchronized (deliveryLock) {
            errorLocked(l, e);
        }
    }

    private static void errorLocked(RtspClientListener l, Exception e) {
        try {
            l.onError(e);
        } catch (RuntimeException again) {
            LOG.log(System.Logger.Level.WARNING, "RTSP client listener failed in onError", again);
        }
    }

    // --- requests ---

    private RtspResponse request(String method, String uri, Map<String, String> extra) throws IOException {
        RtspConnection c = connection;
        boolean retried = false;
        while (true) {
            RtspResponse reply = c.exchange(method, uri, headers(method, uri, extra), options.readTimeout());
            if (reply.status() == 401 && !retried && authenticator != null
                    && authenticator.challenge(reply.headers("WWW-Authenticate"))) {
                retried = true;
                continue;
            }
            if (reply.status() == 401) {
                throw new RtspException(401, reply.reason(), method + " " + uri + " answered 401 " + reply.reason()
                        + (authenticator == null ? ": the server wants credentials (user:password@ in the URL,"
                                + " or RtspClientOptions.credentials)" : ": the server refused the credentials"));
            }
            if (reply.status() >= 300) {
                throw new RtspException(reply.status(), reply.reason(),
                        method + " " + uri + " answered " + reply.status() + " " + reply.reason());
            }
            String session = reply.header("Session");
            if (session != null && sessionId == null && !method.equals("TEARDOWN")) {
                readSession(session);
            }
            return reply;
        }
    }

    private Map<String, String> headers(String method, String uri, Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", options.userAgent());
        String session = sessionId;
        if (session != null) {
            headers.put("Session", session);
        }
        if (authenticator != null) {
            String authorization = authenticator.authorization(method, uri);
            if (authorization != null) {
                headers.put("Authorization", authorization);
            }
        }
        headers.putAll(extra);
        return headers;
    }

    private void readSession(String header) {
        String[] parts = header.split(";");
        sessionId = parts[0].strip();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("timeout=")) {
                try {
                    int t = Integer.parseInt(p.substring(8).strip());
                    if (t > 0) {
                        timeoutSeconds = t;
                    }
                } catch (NumberFormatException ignored) {
                    // keep the RFC 2326 default of 60 s
                }
            }
        }
    }

    private void setupTrack(TrackReceiver track) throws IOException {
        if (transport == LowerTransport.UDP) {
            DatagramChannel[] pair = UdpReceiver.bindPair();
            int rtpPort = UdpReceiver.port(pair[0]);
            try {
                RtspResponse reply = request("SETUP", track.controlUrl,
                        Map.of("Transport", "RTP/AVP;unicast;client_port=" + rtpPort + "-" + (rtpPort + 1)));
                TransportHeader answer = TransportHeader.parse(required(reply, "Transport"));
                if (answer.tcp()) {
                    throw new IOException("SETUP " + track.controlUrl + ": asked for UDP, the server answered "
                            + reply.header("Transport"));
                }
                track.rtpSocket = pair[0];
                track.rtcpSocket = pair[1];
                if (answer.serverRtcpPort() > 0) {
                    track.serverRtcp = new InetSocketAddress(connection.remoteAddress(), answer.serverRtcpPort());
                }
                udpReceiver().add(track);
                return;
            } catch (RtspException e) {
                pair[0].close();
                pair[1].close();
                // As FFmpeg does: a server without UDP says 461 to the first track; ask for TCP instead.
                if (e.status() != 461 || !tracks.isEmpty()) {
                    throw e;
                }
                transport = LowerTransport.TCP;
            } catch (IOException | RuntimeException e) {
                pair[0].close();
                pair[1].close();
                throw e;
            }
        }
        int channel = 2 * tracks.size();
        RtspResponse reply = request("SETUP", track.controlUrl,
                Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1)));
        TransportHeader answer = TransportHeader.parse(required(reply, "Transport"));
        track.rtpChannel = answer.rtpChannel() >= 0 && answer.rtpChannel() < 256 ? answer.rtpChannel() : channel;
        track.rtcpChannel = answer.rtcpChannel() >= 0 && answer.rtcpChannel() < 256 ? answer.rtcpChannel()
                : channel + 1;
        byChannel[track.rtpChannel] = track;
        byChannel[track.rtcpChannel] = track;
    }

    private static String required(RtspResponse reply, String header) throws IOException {
        String value = reply.header(header);
        if (value == null) {
            throw new IOException("the server's SETUP reply has no " + header + " header");
        }
        return value;
    }

    private void udpFailed(IOException e) {
        end("UDP receive failed: " + e.getMessage());
    }

    // --- timer: keepalive and receiver reports ---

    private void keepalive() {
        RtspConnection c = connection;
        String session = sessionId;
        if (c == null || !c.isOpen() || session == null || closing) {
            return;
        }
        String method = serverMethods.contains("GET_PARAMETER") ? "GET_PARAMETER" : "OPTIONS";
        c.send(method, aggregateUrl, headers(method, aggregateUrl, Map.of())).whenComplete((reply, failure) -> {
            if (reply == null) {
                return; // a lost connection is reported by the reader
            }
            if (reply.status() == 401 && authenticator != null) {
                authenticator.challenge(reply.headers("WWW-Authenticate")); // a new nonce for the next one
            } else if (reply.status() >= 300) {
                error(new RtspException(reply.status(), reply.reason(),
                        "keepalive " + method + " answered " + reply.status() + " " + reply.reason()));
            }
        });
    }

    private void sendReports() {
        long now = System.nanoTime();
        for (TrackReceiver t : tracks) {
            RtcpPacket.ReportBlock block = t.stats.reportBlock(now);
            ByteBuffer report = Rtcp.receiverReport(ssrc, block == null ? List.of() : List.of(block), cname);
            try {
                if (t.rtcpChannel >= 0) {
                    connection.sendInterleaved(t.rtcpChannel, report);
                } else if (t.serverRtcp != null && t.rtcpSocket != null && t.rtcpSocket.isOpen()) {
                    t.rtcpSocket.send(report, t.serverRtcp);
                }
            } catch (IOException e) {
                error(new IOException("cannot send an RTCP receiver report: " + e.getMessage(), e));
            }
        }
    }

    // --- helpers ---

    private UdpReceiver udpReceiver() throws IOException {
        synchronized (lifecycleLock) {
            checkOpen();
            if (udp == null) {
                udp = new UdpReceiver(threadName("udp"), this::udpFailed, this::error);
            }
            return udp;
        }
    }

    private ScheduledExecutorService timer() {
        synchronized (lifecycleLock) {
            checkOpen();
            if (timer == null) {
                ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, threadName("timer"));
                    t.setDaemon(true);
                    timerThread = t;
                    return t;
                });
                executor.setRemoveOnCancelPolicy(true);
                executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                timer = executor;
            }
            return timer;
        }
    }

    private void stopReceiving() {
        ScheduledExecutorService t;
        UdpReceiver u;
        synchronized (lifecycleLock) {
            t = timer;
            u = udp;
        }
        if (t != null) {
            t.shutdownNow();
            try {
                // Terminated a moment before its thread has left: close promises that no thread is left.
                Thread thread = timerThread;
                if (t.awaitTermination(2, TimeUnit.SECONDS) && thread != null && thread != Thread.currentThread()) {
                    thread.join(2000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (u != null) {
            u.close();
        }
        for (TrackReceiver track : tracks) {
            closeQuietly(track.rtpSocket);
            closeQuietly(track.rtcpSocket);
        }
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private String threadName(String role) {
        return "tributary-rtsp-client-" + role + "-" + id;
    }

    private void checkOpen() {
        if (closing) {
            throw new IllegalStateException("the client is closed");
        }
    }

    private void requireConnection() {
        checkOpen();
        if (connection == null) {
            throw new IllegalStateException("call connect() first");
        }
    }

    private void requireSession() {
        requireConnection();
        if (sessionId == null) {
            throw new IllegalStateException("no session: call setup() first");
        }
    }
}
