package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.MediaInfo;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.TransportException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * The RTSP methods through a real connection pipeline (decoder, connection, service) on an
 * {@link EmbeddedChannel}, answered synchronously, with an in-memory Streams and recording transports.
 */
class RtspServiceTest {

    private static final MediaInfo CLIP = MediaInfo.jpeg(64, 48, 25, Duration.ofSeconds(10));
    private static final MediaInfo LIVE = MediaInfo.jpeg(64, 48, 25, null);
    private static final MediaInfo LIVE_H264 = new MediaInfo(Codec.H264, 640, 480, 30, null, Fakes.parameterSets());

    private final Fakes.FakeStreams streams = new Fakes.FakeStreams()
            .add("clip", CLIP)
            .add("clips/a.mjpeg", CLIP)
            .add("movie.Mjpeg", CLIP)
            .add("cam", LIVE)
            .add("h264", LIVE_H264)
            .add(new StreamInfo("broken", "test", StreamState.FAILED, "camera unplugged", CLIP, 0));
    private final Fakes.RecordingTransport udp = new Fakes.RecordingTransport("RTP/AVP");
    private final Fakes.RecordingTransport tcp = new Fakes.RecordingTransport("RTP/AVP/TCP");
    private final TransportRegistry transports = new TransportRegistry();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private SessionRegistry sessions;
    private RtspService service;
    private EmbeddedChannel channel;
    private RtspConnection connection;

    @BeforeEach
    void setUp() {
        transports.add(udp, udp.properties());
        sessions = new SessionRegistry(3, 60, Runnable::run, timer);
        service = new RtspService(streams, transports, sessions, 60);
        channel = newChannel();
        connection = channel.pipeline().get(RtspConnection.class);
    }

    private EmbeddedChannel newChannel() {
        return new EmbeddedChannel(new RtspDecoder(8192, 64, 65536, 150),
                new RtspConnection(service, Runnable::run, 16, 10));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        timer.shutdownNow();
    }

    private String request(String text) {
        return request(channel, text);
    }

    private static String request(EmbeddedChannel ch, String text) {
        ch.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        ch.runPendingTasks();
        ByteBuf reply = ch.readOutbound();
        assertNotNull(reply, "a reply to: " + text);
        try {
            return reply.toString(StandardCharsets.UTF_8);
        } finally {
            reply.release();
        }
    }

    private static String header(String reply, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ": ?(.*?)\r?$").matcher(reply);
        return m.find() ? m.group(1) : null;
    }

    private static String sessionId(String reply) {
        return header(reply, "Session").split(";")[0];
    }

    private String setupClip() {
        return request("SETUP rtsp://127.0.0.1:8554/clip/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n"
                + "Transport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n");
    }

    @Test
    void optionsListsPublicMethodsAndEchoesCseq() {
        String reply = request("OPTIONS rtsp://127.0.0.1:8554/clip RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK\r\nCSeq: 1\r\n"), reply);
        assertEquals(RtspService.PUBLIC, header(reply, "Public"));
        assertTrue(reply.endsWith("\r\n\r\n"));
    }

    @Test
    void optionsStarIsAccepted() {
        assertTrue(request("OPTIONS * RTSP/1.0\r\nCSeq: 2\r\n\r\n").startsWith("RTSP/1.0 200 OK"));
    }

    @Test
    void describeAnswersSdpWithContentBaseEndingInSlash() {
        String reply = request("DESCRIBE rtsp://127.0.0.1:8554/clip RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
        assertEquals("rtsp://127.0.0.1:8554/clip/", header(reply, "Content-Base"));
        assertEquals("application/sdp", header(reply, "Content-Type"));
        String sdp = reply.substring(reply.indexOf("\r\n\r\n") + 4);
        assertEquals(Integer.parseInt(header(reply, "Content-Length")), sdp.getBytes(StandardCharsets.UTF_8).length);
        assertTrue(sdp.contains("m=video 0 RTP/AVP 26\r\n"), sdp);
        assertTrue(sdp.contains("a=control:trackID=0\r\n"), sdp);
        assertTrue(sdp.contains("a=range:npt=0-10.000"), sdp);
    }

    @Test
    void describeOfNameWithSlashResolvesTheLongestStream() {
        String reply = request("DESCRIBE rtsp://h/clips/a.mjpeg/ RTSP/1.0\r\nCSeq: 2\r\n\r\n");
        assertEquals("rtsp://h/clips/a.mjpeg/", header(reply, "Content-Base"));
    }

    @Test
    void describeOfUnknownStreamIs404() {
        assertTrue(request("DESCRIBE rtsp://h/nothing RTSP/1.0\r\nCSeq: 2\r\n\r\n")
                .startsWith("RTSP/1.0 404 Not Found\r\nCSeq: 2\r\n"));
    }

    @Test
    void describeOfFailedStreamIs503WithTheReason() {
        String reply = request("DESCRIBE rtsp://h/broken RTSP/1.0\r\nCSeq: 2\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 503 Stream broken has failed: camera unplugged\r\nCSeq: 2"), reply);
    }

    @Test
    void setupPicksTheFirstSupportedTransportAndAnswersExactlyOne() {
        String reply = request("SETUP rtsp://h/clip/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1 , RTP/AVP ; unicast ; Client_Port = 5000-5001\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
        String transport = header(reply, "Transport");
        assertTrue(transport.matches("RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=[0-9A-F]{8}"),
                transport);
        assertTrue(header(reply, "Session").matches("[0-9A-F]{16};timeout=60"), reply);
        assertEquals("RTP/AVP", udp.requests.get(0).profile());
        assertEquals("5000-5001", udp.requests.get(0).parameters().get("client_port"));
        assertTrue(udp.requests.get(0).parameters().containsKey("unicast"));
        assertSame(connection, udp.requests.get(0).connection());
        assertEquals(1, sessions.list().size());
        assertEquals(SessionState.READY, sessions.list().get(0).state());
    }

    @Test
    void setupWithOnlyUnsupportedTransportsIs461() {
        String reply = request("SETUP rtsp://h/clip/trackID=0 RTSP/1.0\r\nCSeq: 3\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 461 Unsupported Transport\r\nCSeq: 3"), reply);
        assertEquals(0, sessions.size());
    }

    @Test
    void setupRefusedByTheTransportIs461WithItsReasonAndLeavesNoSession() {
        udp.refuse = "client_port missing";
        String reply = request("SETUP rtsp://h/clip/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;unicast\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 461 client_port missing"), reply);
        assertEquals(0, sessions.size());
        assertTrue(streams.last().closed);
    }

    @Test
    void setupBeyondMaxSessionsIs503() {
        for (int i = 0; i < 3; i++) {
            assertTrue(setupClip().startsWith("RTSP/1.0 200"));
        }
        assertTrue(setupClip().startsWith("RTSP/1.0 503"));
    }

    @Test
    void playAnswersRangeAndRtpInfoAndSendsThePacketsItAnnounced() {
        String setup = setupClip();
        String id = sessionId(setup);
        String reply = request("PLAY rtsp://127.0.0.1:8554/clip/ RTSP/1.0\r\nCSeq: 4\r\nSession: " + id
                + "\r\nRange: npt=0.000-\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
        assertEquals("npt=0.000-10.000", header(reply, "Range"));
        Matcher info = Pattern.compile("url=(.*);seq=(\\d+);rtptime=(\\d+)").matcher(header(reply, "RTP-Info"));
        assertTrue(info.matches(), reply);
        assertEquals("rtsp://127.0.0.1:8554/clip/trackID=0", info.group(1));
        assertEquals(id + ";timeout=60", header(reply, "Session"));

        Fakes.RecordingDelivery delivery = udp.last();
        assertFalse(delivery.controls.isEmpty(), "a sender report right at PLAY");
        streams.last().deliver(Fakes.frame(0, Duration.ZERO));
        ByteBuffer first = delivery.frames.get(0).get(0);
        assertEquals(Integer.parseInt(info.group(2)), first.getShort(2) & 0xFFFF);
        assertEquals(Long.parseLong(info.group(3)), first.getInt(4) & 0xFFFFFFFFL);
        assertEquals(26, first.get(1) & 0x7F);
        List<ByteBuffer> packets = delivery.frames.get(0);
        assertTrue((packets.get(packets.size() - 1).get(1) & 0x80) != 0, "marker on the last packet");
        assertEquals(SessionState.PLAYING, sessions.list().get(0).state());
    }

    @Test
    void pauseThenPlayResumesWithSequenceAndTimestampContinuing() {
        String id = sessionId(setupClip());
        request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n");
        Fakes.FakePlayback playback = streams.last();
        playback.deliver(Fakes.frame(0, Duration.ZERO));
        playback.deliver(Fakes.frame(1, Duration.ofMillis(40)));
        assertTrue(request("PAUSE rtsp://h/clip RTSP/1.0\r\nCSeq: 5\r\nSession: " + id + "\r\n\r\n")
                .startsWith("RTSP/1.0 200"));
        playback.deliver(Fakes.frame(2, Duration.ofMillis(80)));
        Fakes.RecordingDelivery delivery = udp.last();
        assertEquals(2, delivery.frames.size(), "nothing is sent while paused");
        List<ByteBuffer> last = delivery.frames.get(1);
        int nextSeq = ((last.get(last.size() - 1).getShort(2) & 0xFFFF) + 1) & 0xFFFF;

        String reply = request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 6\r\nSession: " + id + "\r\n\r\n");
        assertTrue(header(reply, "RTP-Info").contains(";seq=" + nextSeq + ";"), reply);
        assertEquals("play null", playback.calls.get(playback.calls.size() - 1));
        playback.deliver(Fakes.frame(2, Duration.ofMillis(80)));
        ByteBuffer resumed = delivery.frames.get(2).get(0);
        assertEquals(nextSeq, resumed.getShort(2) & 0xFFFF);
        int firstTs = delivery.frames.get(0).get(0).getInt(4);
        assertEquals(80 * 90, resumed.getInt(4) - firstTs);
    }

    @Test
    void playWithRangeWhilePlayingSeeks() {
        String id = sessionId(setupClip());
        request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n");
        String reply = request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 5\r\nSession: " + id + "\r\nRange: npt=4.5-\r\n\r\n");
        assertEquals("npt=4.500-10.000", header(reply, "Range"));
        assertEquals(List.of("play null", "pause", "play PT4.5S"), streams.last().calls);
    }

    @Test
    void playPastTheEndIs457() {
        String id = sessionId(setupClip());
        String reply = request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\nRange: npt=11-\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 457 Invalid Range\r\nCSeq: 4"), reply);
    }

    @Test
    void playBeforeSetupIs455AndUnknownSessionIs454() {
        assertTrue(request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\n\r\n").startsWith("RTSP/1.0 455 "));
        assertTrue(request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 5\r\nSession: 12345\r\n\r\n")
                .startsWith("RTSP/1.0 454 Session Not Found\r\nCSeq: 5"));
    }

    @Test
    void teardownSendsByeClosesEverythingAndForgetsTheSession() throws Exception {
        String id = sessionId(setupClip());
        request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n");
        String reply = request("TEARDOWN rtsp://h/clip RTSP/1.0\r\nCSeq: 5\r\nSession: " + id + "\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK\r\nCSeq: 5"), reply);
        Fakes.RecordingDelivery delivery = udp.last();
        assertTrue(delivery.sentBye());
        assertTrue(streams.last().closed);
        waitFor(() -> delivery.closed);
        assertEquals(0, sessions.size());
        assertTrue(request("GET_PARAMETER rtsp://h/clip RTSP/1.0\r\nCSeq: 6\r\nSession: " + id + "\r\n\r\n")
                .startsWith("RTSP/1.0 454"));
    }

    @Test
    void getParameterIsAKeepaliveWithTheSession() {
        String id = sessionId(setupClip());
        String reply = request("GET_PARAMETER rtsp://h/clip/ RTSP/1.0\r\nCSeq: 7\r\nSession: " + id + "\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK\r\nCSeq: 7"), reply);
        assertEquals(id + ";timeout=60", header(reply, "Session"));
    }

    @Test
    void missingCseqIs400WithoutCseq() {
        String reply = request("OPTIONS * RTSP/1.0\r\nUser-Agent: x\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 400 Missing CSeq\r\n"), reply);
        assertNull(header(reply, "CSeq"));
    }

    @Test
    void unsupportedMethodIs501WithPublic() {
        String reply = request("REDIRECT rtsp://h/new RTSP/1.0\r\nCSeq: 8\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 501 Not Implemented\r\nCSeq: 8"), reply);
        assertEquals(RtspService.PUBLIC, header(reply, "Public"));
    }

    @Test
    void malformedRequestIs400AndTheConnectionStaysUsable() {
        assertTrue(request("GARBAGE /clip\r\nCSeq: 9\r\n\r\n").startsWith("RTSP/1.0 400 Bad Request Line\r\nCSeq: 9"));
        assertTrue(channel.isActive());
        assertTrue(request("OPTIONS * RTSP/1.0\r\nCSeq: 10\r\n\r\n").startsWith("RTSP/1.0 200 OK\r\nCSeq: 10"));
    }

    @Test
    void oversizeRequestIs400ThenTheConnectionCloses() {
        String reply = request("DESCRIBE rtsp://h/clip RTSP/1.0\r\nCSeq: 11\r\nX: " + "a".repeat(9000) + "\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 400 Request Too Large\r\nCSeq: 11"), reply);
        channel.runPendingTasks();
        assertFalse(channel.isActive());
    }

    @Test
    void labClientGetsRepliesInTheExactShapeItParses() {
        channel.writeInbound(Unpooled.copiedBuffer("SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000",
                StandardCharsets.UTF_8));
        assertNull(channel.readOutbound());
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        ByteBuf setup = channel.readOutbound();
        String reply = setup.toString(StandardCharsets.UTF_8);
        setup.release();
        assertTrue(reply.matches("RTSP/1\\.0 200 OK\nCSeq: 1\nSession: [0-9]{8}"), reply);
        String id = reply.substring(reply.lastIndexOf(' ') + 1);
        assertEquals("RTP/AVP", udp.requests.get(0).profile());
        assertEquals("25000", udp.requests.get(0).parameters().get("client_port"));

        channel.writeInbound(Unpooled.copiedBuffer("PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\nSession: " + id, StandardCharsets.UTF_8));
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        ByteBuf play = channel.readOutbound();
        assertEquals("RTSP/1.0 200 OK\nCSeq: 2\nSession: " + id, play.toString(StandardCharsets.UTF_8));
        play.release();

        Fakes.FakePlayback playback = streams.last();
        playback.deliver(Fakes.frame(0, Duration.ZERO));
        playback.deliver(Fakes.frame(1, Duration.ofMillis(50)));
        Fakes.RecordingDelivery delivery = udp.last();
        ByteBuffer packet = delivery.frames.get(0).get(0);
        assertEquals(1, delivery.frames.get(0).size(), "one packet per frame");
        assertEquals(26, packet.get(1) & 0x7F);
        assertEquals(1, packet.getShort(2), "sequence = frame number");
        assertEquals(2, delivery.frames.get(1).get(0).getShort(2));
        assertEquals((byte) 0xFF, packet.get(12));
        assertEquals((byte) 0xD8, packet.get(13));
        assertEquals((byte) 0xD9, packet.get(packet.limit() - 1), "the whole JFIF, EOI included");

        channel.writeInbound(Unpooled.copiedBuffer("TEARDOWN movie.Mjpeg RTSP/1.0\nCSeq: 3\nSession: " + id, StandardCharsets.UTF_8));
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        ByteBuf teardown = channel.readOutbound();
        assertEquals("RTSP/1.0 200 OK\nCSeq: 3\nSession: " + id, teardown.toString(StandardCharsets.UTF_8));
        teardown.release();
        assertEquals(0, sessions.size());
    }

    @Test
    void reSetupOfATrackReplacesItsDelivery() throws Exception {
        transports.add(tcp, tcp.properties());
        String id = sessionId(setupClip());
        request("PAUSE rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n");
        String reply = request("SETUP rtsp://h/clip/trackID=0 RTSP/1.0\r\nCSeq: 5\r\nSession: " + id
                + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        assertTrue(header(reply, "Transport").startsWith("RTP/AVP/TCP;unicast;interleaved=0-1;ssrc="), reply);
        assertEquals(id, sessionId(reply));
        waitFor(() -> udp.last().closed);
        assertEquals(1, sessions.size());
        assertEquals("RTP/AVP/TCP", sessions.list().get(0).transport());
        assertEquals(2, connection.freeChannelPair()[0], "the client's channels are taken");
    }

    @Test
    void endOfMediaSendsByeAndKeepsTheSession() {
        String id = sessionId(setupClip());
        request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n");
        streams.last().sink.onEnd(EndReason.END_OF_MEDIA, "end");
        assertTrue(udp.last().sentBye());
        assertEquals(1, sessions.size());
        assertEquals(SessionState.READY, sessions.list().get(0).state());
    }

    @Test
    void sourceGoneEndsTheSessionWithBye() {
        String id = sessionId(setupClip());
        request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n");
        streams.last().sink.onEnd(EndReason.SOURCE_GONE, "bundle stopped");
        assertTrue(udp.last().sentBye());
        assertEquals(0, sessions.size());
    }

    @Test
    void transportGoneEndsOnlyItsSessions() {
        transports.add(tcp, tcp.properties());
        setupClip();
        request("SETUP rtsp://h/clip/trackID=0 RTSP/1.0\r\nCSeq: 5\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n");
        assertEquals(2, sessions.size());
        transports.remove(tcp);
        sessions.transportGone(tcp);
        assertEquals(1, sessions.size());
        assertEquals("RTP/AVP", sessions.list().get(0).transport());
        assertTrue(request("SETUP rtsp://h/clip/trackID=0 RTSP/1.0\r\nCSeq: 6\r\nTransport: RTP/AVP/TCP;interleaved=0-1\r\n\r\n")
                .startsWith("RTSP/1.0 461"));
    }

    @Test
    void kickSendsByeAndEndsTheSession() {
        String id = sessionId(setupClip());
        assertTrue(sessions.kick(id));
        assertTrue(udp.last().sentBye());
        assertFalse(sessions.kick(id));
        assertTrue(request("PLAY rtsp://h/clip RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n").startsWith("RTSP/1.0 454"));
    }

    @Test
    void liveSessionsShareTheSamePackets() throws Exception {
        String a = sessionId(request("SETUP rtsp://h/cam/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;client_port=5000-5001\r\n\r\n"));
        String b = sessionId(request("SETUP rtsp://h/cam/trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;client_port=5002-5003\r\n\r\n"));
        String reply;
        try (Feeder feeder = new Feeder("cam", false)) {
            request("PLAY rtsp://h/cam RTSP/1.0\r\nCSeq: 3\r\nSession: " + a + "\r\nRange: npt=5-\r\n\r\n");
            reply = request("PLAY rtsp://h/cam RTSP/1.0\r\nCSeq: 4\r\nSession: " + b + "\r\n\r\n");
            waitFor(() -> udp.deliveries.get(1).frames.size() >= 2);
        }
        assertEquals("npt=0.000-", header(reply, "Range"));
        List<List<ByteBuffer>> first = udp.deliveries.get(0).frames;
        List<List<ByteBuffer>> second = udp.deliveries.get(1).frames;
        ByteBuffer joined = second.get(0).get(0);
        ByteBuffer same = first.stream().map(f -> f.get(0)).filter(p -> p.getShort(2) == joined.getShort(2))
                .findFirst().orElseThrow();
        assertSame(same, joined, "the very packet the first session was sent");
        assertEquals(List.of("play null"), streams.playbacks.get(0).calls, "a live stream ignores Range");
    }

    @Test
    void aLiveStreamThatFailsBeforeItsFirstFrameGetsPlay503WithTheReasonAndNoByeBeforeIt() throws Exception {
        streams.onPlay = playback -> {
            streams.add(new StreamInfo("cam", "test", StreamState.FAILED, "camera unplugged", LIVE, 0));
            playback.sink.onEnd(EndReason.FAILED, "stream 'cam' failed: camera unplugged");
        };
        String id = sessionId(request("SETUP rtsp://h/cam/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;client_port=5000-5001\r\n\r\n"));

        String reply = request("PLAY rtsp://h/cam RTSP/1.0\r\nCSeq: 3\r\nSession: " + id + "\r\n\r\n");

        assertTrue(reply.startsWith("RTSP/1.0 503 Stream cam has failed: camera unplugged\r\nCSeq: 3"), reply);
        assertFalse(udp.last().sentBye(), "the reply tells; no BYE goes ahead of it");
        assertTrue(request("PLAY rtsp://h/cam RTSP/1.0\r\nCSeq: 4\r\nSession: " + id + "\r\n\r\n")
                .startsWith("RTSP/1.0 454"), "the session is gone");
    }

    @Test
    void livePlayAnswersTheSequenceAndTimestampOfTheFirstPacketTheViewerGets() throws Exception {
        String a = sessionId(request("SETUP rtsp://h/h264/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;client_port=5000-5001\r\n\r\n"));
        String b = sessionId(request("SETUP rtsp://h/h264/trackID=0 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP;client_port=5002-5003\r\n\r\n"));
        try (Feeder feeder = new Feeder("h264", true)) {
            String first = request("PLAY rtsp://h/h264/ RTSP/1.0\r\nCSeq: 3\r\nSession: " + a + "\r\n\r\n");
            waitFor(() -> udp.deliveries.get(0).frames.size() >= 5);
            // The stream's packets went on meanwhile: the next packet of the stream is not b's first.
            String second = request("PLAY rtsp://h/h264/ RTSP/1.0\r\nCSeq: 4\r\nSession: " + b + "\r\n\r\n");
            waitFor(() -> udp.deliveries.get(1).frames.size() >= 2);
            assertRtpInfoNames(udp.deliveries.get(0).frames.get(0).get(0), first);
            assertRtpInfoNames(udp.deliveries.get(1).frames.get(0).get(0), second);
        }
        assertEquals(96, udp.deliveries.get(0).frames.get(0).get(0).get(1) & 0x7F, "H.264 goes as payload type 96");
    }

    private static void assertRtpInfoNames(ByteBuffer firstPacket, String reply) {
        Matcher info = Pattern.compile("url=(.*);seq=(\\d+);rtptime=(\\d+)").matcher(header(reply, "RTP-Info"));
        assertTrue(info.matches(), reply);
        assertEquals(firstPacket.getShort(2) & 0xFFFF, Integer.parseInt(info.group(2)), reply);
        assertEquals(firstPacket.getInt(4) & 0xFFFFFFFFL, Long.parseLong(info.group(3)), reply);
    }

    @Test
    void anH264SessionThatDroppedAFrameSendsNothingUntilTheNextIdr() {
        String id = sessionId(request("SETUP rtsp://h/h264/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;client_port=5000-5001\r\n\r\n"));
        Thread feeder = new Thread(() -> {
            try {
                waitFor(() -> !streams.playbacks.isEmpty() && streams.last().calls.contains("play null"));
            } catch (InterruptedException e) {
                return;
            }
            streams.last().deliver(Fakes.h264Frame(0, Duration.ZERO, true));
        });
        feeder.start();
        request("PLAY rtsp://h/h264/ RTSP/1.0\r\nCSeq: 2\r\nSession: " + id + "\r\n\r\n");
        Fakes.FakePlayback playback = streams.last();
        Fakes.RecordingDelivery delivery = udp.last();
        playback.deliver(Fakes.h264Frame(1, Duration.ofMillis(33), false));
        delivery.full = true;
        playback.deliver(Fakes.h264Frame(2, Duration.ofMillis(66), false));
        delivery.full = false;
        playback.deliver(Fakes.h264Frame(3, Duration.ofMillis(100), false));
        playback.deliver(Fakes.h264Frame(4, Duration.ofMillis(133), false));
        playback.deliver(Fakes.h264Frame(5, Duration.ofMillis(166), true));
        playback.deliver(Fakes.h264Frame(6, Duration.ofMillis(200), false));

        List<Integer> sent = delivery.frames.stream().map(f -> f.get(f.size() - 1)).map(RtspServiceTest::lastByteIndex)
                .toList();
        assertEquals(List.of(0, 1, 5, 6), sent, "frames 3 and 4 refer to the dropped frame 2");
        assertEquals(2, sessions.list().get(0).stats().droppedFrames(), "the skipped frames count as dropped");
        ByteBuffer idr = delivery.frames.get(0).get(0);
        assertEquals(24, idr.get(12) & 0x1F, "the IDR without in-band SPS/PPS gets them in front (STAP-A)");
    }

    /** The frame index {@link Fakes#h264Frame} wrote into its last NAL unit, read from a single NAL packet. */
    private static int lastByteIndex(ByteBuffer packet) {
        return packet.get(packet.limit() - 3) & 0xFF;
    }

    @Test
    void describeOfH264HasPayloadType96AndTheParameterSets() {
        String reply = request("DESCRIBE rtsp://127.0.0.1:8554/h264 RTSP/1.0\r\nCSeq: 2\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
        assertTrue(reply.contains("m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"), reply);
        assertTrue(reply.contains("a=fmtp:96 packetization-mode=1;profile-level-id=42C01F;sprop-parameter-sets="
                + java.util.Base64.getEncoder().encodeToString(Fakes.SPS) + ","
                + java.util.Base64.getEncoder().encodeToString(Fakes.PPS) + "\r\n"), reply);
        assertTrue(reply.contains("a=x-dimensions:640,480"), reply);
    }

    @Test
    void describeOfAnH264StreamStillProbingWaitsForItsParameterSets() throws Exception {
        streams.add("probing", new MediaInfo(Codec.H264, 0, 0, 30, null, List.of()));
        Thread probe = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            streams.add("probing", LIVE_H264);
        });
        probe.start();
        String reply = request("DESCRIBE rtsp://127.0.0.1:8554/probing RTSP/1.0\r\nCSeq: 2\r\n\r\n");
        probe.join();
        assertTrue(reply.startsWith("RTSP/1.0 200 OK") && reply.contains("sprop-parameter-sets="), reply);
    }

    @Test
    void describeOfAnH264StreamWithoutParameterSetsIs503AfterTwoSeconds() {
        streams.add("silent", new MediaInfo(Codec.H264, 0, 0, 30, null, List.of()));
        long start = System.nanoTime();
        String reply = request("DESCRIBE rtsp://127.0.0.1:8554/silent RTSP/1.0\r\nCSeq: 2\r\n\r\n");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(reply.startsWith("RTSP/1.0 503 Stream silent is starting: its H.264 parameter sets are not known"),
                reply);
        assertTrue(millis >= 1900, "waited " + millis + " ms");
    }

    @Test
    void pushPlaysTheStreamToTheDestinationWithoutRtsp() throws Exception {
        InetSocketAddress destination = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5004);
        SessionInfo push = service.push("clip", destination);

        assertEquals(destination, push.client());
        assertEquals("RTP/AVP", push.transport());
        assertEquals(SessionState.PLAYING, push.state());
        assertEquals(List.of(push), sessions.list());
        var request = udp.last().request;
        assertEquals(destination, request.peer(), "RTP goes to the destination");
        assertEquals("5004-5005", request.parameters().get("client_port"));
        assertEquals(List.of("play null"), streams.last().calls);
        streams.last().deliver(Fakes.frame(0, Duration.ZERO));
        assertEquals(1, udp.last().frames.size());

        String sdp = service.pushDescription(push.id()).orElseThrow();
        assertTrue(sdp.contains("\r\nc=IN IP4 127.0.0.1\r\n"), sdp);
        assertTrue(sdp.contains("\r\nm=video 5004 RTP/AVP 26\r\n"), sdp);
        assertTrue(service.pushDescription("nope").isEmpty());

        assertTrue(sessions.kick(push.id()));
        assertTrue(udp.last().sentBye());
        assertTrue(sessions.list().isEmpty());
    }

    @Test
    void aPushEndsWithByeAtTheEndOfTheMedia() throws Exception {
        SessionInfo push = service.push("clip", new InetSocketAddress(InetAddress.getLoopbackAddress(), 5004));
        streams.last().sink.onEnd(EndReason.END_OF_MEDIA, "end");
        waitFor(() -> sessions.list().isEmpty());
        assertTrue(udp.last().sentBye());
        assertTrue(service.pushDescription(push.id()).isEmpty());
    }

    @Test
    void pushOfH264DescribesPayloadType96WithTheParameterSets() throws Exception {
        SessionInfo push = service.push("h264", new InetSocketAddress(InetAddress.getLoopbackAddress(), 6000));
        String sdp = service.pushDescription(push.id()).orElseThrow();
        assertTrue(sdp.contains("m=video 6000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"), sdp);
        assertTrue(sdp.contains("sprop-parameter-sets="), sdp);
    }

    @Test
    void pushRefusesUnknownStreamsMissingTransportAndBadPorts() {
        InetSocketAddress destination = new InetSocketAddress(InetAddress.getLoopbackAddress(), 5004);
        StreamException unknown = org.junit.jupiter.api.Assertions.assertThrows(StreamException.class,
                () -> service.push("nope", destination));
        assertEquals(StreamException.Kind.NOT_FOUND, unknown.kind());
        org.junit.jupiter.api.Assertions.assertThrows(TransportException.class, () -> service.push("clip",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 65535)));
        transports.remove(udp);
        org.junit.jupiter.api.Assertions.assertThrows(TransportException.class, () -> service.push("clip", destination));
        assertTrue(sessions.list().isEmpty());
        assertTrue(setupClip().startsWith("RTSP/1.0 461"), "no room was left reserved");
    }

    /** Delivers frames of a stream to every playback of it every 10 ms, as a live feed would. */
    private final class Feeder implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;

        Feeder(String stream, boolean h264) {
            thread = new Thread(() -> {
                long index = 0;
                while (running) {
                    Duration at = Duration.ofMillis(index * 10);
                    var frame = h264 ? Fakes.h264Frame(index, at, index % 5 == 0) : Fakes.frame(index, at);
                    for (Fakes.FakePlayback p : streams.playbacks) {
                        if (p.name.equals(stream) && p.calls.contains("play null")) {
                            p.deliver(frame);
                        }
                    }
                    index++;
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "test-feeder");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    @Test
    void interleavedFramesAreWrittenWholeWithDollarFraming() {
        List<ByteBuffer> packets = new ArrayList<>();
        packets.add(ByteBuffer.wrap(new byte[] {1, 2, 3}).asReadOnlyBuffer());
        packets.add(ByteBuffer.wrap(new byte[] {4}).asReadOnlyBuffer());
        assertTrue(connection.write(2, packets));
        ByteBuf out = channel.readOutbound();
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        out.release();
        assertEquals(List.of((byte) '$', (byte) 2, (byte) 0, (byte) 3, (byte) 1, (byte) 2, (byte) 3,
                (byte) '$', (byte) 2, (byte) 0, (byte) 1, (byte) 4), toList(bytes));
        assertEquals(0, packets.get(0).position(), "the shared packet is only read");
    }

    @Test
    void interleavedPacketsFromTheClientReachTheirReceiver() {
        List<String> got = new ArrayList<>();
        connection.receive(1, b -> got.add(StandardCharsets.US_ASCII.decode(b).toString()));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'$', 1, 0, 2, 'R', 'R', '$', 5, 0, 1, 'x'}));
        assertEquals(List.of("RR"), got);
        assertEquals(2, connection.freeChannelPair()[0]);
    }

    @Test
    void closingTheConnectionEndsItsLabSessions() {
        channel.writeInbound(Unpooled.copiedBuffer("SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000\n\n",
                StandardCharsets.UTF_8));
        ((ByteBuf) channel.readOutbound()).release();
        assertEquals(1, sessions.size());
        channel.close();
        assertEquals(0, sessions.size());
    }

    private static List<Byte> toList(byte[] bytes) {
        List<Byte> list = new ArrayList<>();
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 30 s");
            }
            Thread.sleep(10);
        }
    }
}
