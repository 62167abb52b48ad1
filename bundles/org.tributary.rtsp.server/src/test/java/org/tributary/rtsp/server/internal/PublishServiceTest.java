package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;
import org.tributary.api.SessionState;
import org.tributary.rtp.jpeg.JpegPayloadFormat;
import org.tributary.rtp.RtpPacketizer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * Publishing and redirects through a real connection pipeline on an {@link EmbeddedChannel} (whose client counts
 * as a loopback client): ANNOUNCE, SETUP with mode=record, RECORD and TEARDOWN, the path rules, credentials, and
 * the 302 of a redirected path.
 */
class PublishServiceTest {

    private static final String SDP_JPEG = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\nm=video 0 RTP/AVP 26\r\na=control:streamid=0\r\n";

    private final Fakes.FakeStreams streams = new Fakes.FakeStreams().add("demo", MediaInfo.jpeg(64, 48, 25, null));
    private final Fakes.RecordingTransport tcp = new Fakes.RecordingTransport("RTP/AVP/TCP");
    private final TransportRegistry transports = new TransportRegistry();
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final Map<String, LiveSource> registered = new ConcurrentHashMap<>();
    private final SourceRegistrar registrar = (name, source) -> {
        registered.put(name, source);
        streams.add(name, source.info());
        return () -> {
            registered.remove(name);
            streams.streams.remove(name);
        };
    };
    private SessionRegistry sessions;
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        transports.add(tcp, tcp.properties());
        sessions = new SessionRegistry(10, 60, Runnable::run, timer);
        use(new PublishAccess(PublishAccess.Mode.ANYONE, "", "", List.of("*")));
    }

    private void use(PublishAccess access) {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        RtspService service = new RtspService(streams, transports, sessions, 60, access,
                Redirects.parse(new String[] {"moved=rtsp://other.example:8554/demo"}), registrar);
        channel = new EmbeddedChannel(new RtspDecoder(8192, 64, 65536, 150),
                new RtspConnection(service, Runnable::run, 16, 10));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        timer.shutdownNow();
    }

    private String request(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
        channel.runPendingTasks();
        ByteBuf reply = channel.readOutbound();
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

    private static String announce(String path, String sdp, String... headers) {
        return "ANNOUNCE rtsp://127.0.0.1:8554/" + path + " RTSP/1.0\r\nCSeq: 2\r\n" + String.join("", headers)
                + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private String publish(String path) {
        assertTrue(request(announce(path, SDP_JPEG)).startsWith("RTSP/1.0 200 OK"));
        String setup = request("SETUP rtsp://127.0.0.1:8554/" + path + "/streamid=0 RTSP/1.0\r\nCSeq: 3\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n");
        assertTrue(setup.startsWith("RTSP/1.0 200 OK"), setup);
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record", header(setup, "Transport"));
        String session = header(setup, "Session").split(";")[0];
        String record = request("RECORD rtsp://127.0.0.1:8554/" + path + " RTSP/1.0\r\nCSeq: 4\r\nSession: "
                + session + "\r\nRange: npt=0.000-\r\n\r\n");
        assertTrue(record.startsWith("RTSP/1.0 200 OK"), record);
        return session;
    }

    @Test
    void announceSetupRecordMountsALiveJpegStreamFedByItsDelivery() throws Exception {
        String session = publish("live");

        assertTrue(header(request("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n"), "Public").contains("ANNOUNCE"));
        assertTrue(request("GET_PARAMETER rtsp://127.0.0.1:8554/live RTSP/1.0\r\nCSeq: 5\r\nSession: " + session
                + "\r\n\r\n").startsWith("RTSP/1.0 200 OK"), "keepalive of a publisher");
        LiveSource source = registered.get("live");
        assertNotNull(source, "RECORD registers the stream");
        assertEquals(SessionState.RECORDING, sessions.list().get(0).state());

        List<Frame> frames = new ArrayList<>();
        source.start(new FrameSink() {
            @Override
            public void onFrame(Frame frame) {
                frames.add(frame);
            }

            @Override
            public void onEnd(EndReason reason, String detail) {
            }
        });
        byte[] jpeg = Fakes.jpeg(64, 48, 100);
        RtpPacketizer packetizer = new RtpPacketizer(new JpegPayloadFormat(), 26, 1234, 1, 400);
        for (int i = 0; i < 3; i++) {
            Frame frame = new Frame(Codec.JPEG, i, i * 40_000_000L, true, ByteBuffer.wrap(jpeg));
            for (ByteBuffer packet : packetizer.packetize(frame, 5000 + i * 3600)) {
                tcp.last().request.listener().onData(packet);
            }
        }
        assertEquals(3, frames.size(), "three frames rebuilt from the packets the transport hands over");
        assertEquals(80_000_000L, frames.get(2).timestampNanos(), "times from the RTP timestamps");
        assertEquals(64, source.info().width(), "size from the first keyframe");

        String teardown = request("TEARDOWN rtsp://127.0.0.1:8554/live RTSP/1.0\r\nCSeq: 6\r\nSession: " + session
                + "\r\n\r\n");
        assertTrue(teardown.startsWith("RTSP/1.0 200 OK"), teardown);
        assertNull(registered.get("live"), "TEARDOWN takes the stream away");
        assertTrue(sessions.list().isEmpty());
        assertTrue(tcp.last().closed);
        publish("live");
        assertNotNull(registered.get("live"), "a new publisher takes the freed path");
    }

    @Test
    void closingThePublishersConnectionUnpublishes() {
        publish("live");
        channel.close();
        channel.runPendingTasks();
        assertNull(registered.get("live"));
        assertTrue(sessions.list().isEmpty());
    }

    @Test
    void aPathWithASourceAnswers403NamingIt() {
        String reply = request(announce("demo", SDP_JPEG));
        assertTrue(reply.startsWith("RTSP/1.0 403 Path 'demo' already has a source\r\n"), reply);
        publish("live");
        EmbeddedChannel first = channel;
        channel = null;
        use(new PublishAccess(PublishAccess.Mode.ANYONE, "", "", List.of("*")));
        reply = request(announce("live", SDP_JPEG));
        assertTrue(reply.startsWith("RTSP/1.0 403 Path 'live' already has a source\r\n"), reply);
        first.finishAndReleaseAll();
    }

    @Test
    void otherMediaAnswers415() {
        String audio = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
        String reply = request(announce("live", audio));
        assertTrue(reply.startsWith("RTSP/1.0 415 Publish JPEG or H264 video (got audio payload type 0)"), reply);
        reply = request("ANNOUNCE rtsp://127.0.0.1:8554/live RTSP/1.0\r\nCSeq: 2\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 2\r\n\r\nhi");
        assertTrue(reply.startsWith("RTSP/1.0 415 ANNOUNCE needs an application/sdp body"), reply);
    }

    @Test
    void setupForRecordingWithoutAnnounceAnswers455() {
        String reply = request("SETUP rtsp://127.0.0.1:8554/live/streamid=0 RTSP/1.0\r\nCSeq: 3\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n");
        assertTrue(reply.startsWith("RTSP/1.0 455 ANNOUNCE the stream on this connection"), reply);
    }

    @Test
    void offAndForeignClientsWithoutCredentialsAreRefused() throws Exception {
        use(PublishAccess.OFF);
        assertTrue(request(announce("live", SDP_JPEG)).startsWith("RTSP/1.0 403 Publishing is off"));
        use(PublishAccess.LOOPBACK_ONLY);
        assertTrue(request(announce("live", SDP_JPEG)).startsWith("RTSP/1.0 200 OK"), "this machine publishes");
        RtspRequest foreign = new RtspRequest("ANNOUNCE", "rtsp://h/x", "RTSP/1.0", List.of(), List.of(), new byte[0],
                false);
        RtspResponse refused = PublishAccess.LOOPBACK_ONLY.check(foreign,
                java.net.InetAddress.getByName("192.0.2.7"), "x");
        assertEquals(RtspStatus.FORBIDDEN, refused.status());
        assertTrue(refused.reason().startsWith("Publishing from 192.0.2.7 needs credentials and none are set"),
                refused.reason());
        RtspResponse challenged = new PublishAccess(PublishAccess.Mode.LOOPBACK, "u", "p", List.of("*"))
                .check(foreign, java.net.InetAddress.getByName("192.0.2.7"), "x");
        assertEquals(RtspStatus.UNAUTHORIZED, challenged.status());
        use(new PublishAccess(PublishAccess.Mode.ANYONE, "", "", List.of("cams/*")));
        assertTrue(request(announce("live", SDP_JPEG)).startsWith("RTSP/1.0 403 Publishing at 'live' is not allowed"));
        assertTrue(request(announce("cams/door", SDP_JPEG)).startsWith("RTSP/1.0 200 OK"));
    }

    @Test
    void passwordModeChallengesAndTakesDigestOrBasicCredentials() {
        use(new PublishAccess(PublishAccess.Mode.PASSWORD, "pub", "secret", List.of("*")));
        String challenge = request(announce("live", SDP_JPEG));
        assertTrue(challenge.startsWith("RTSP/1.0 401 Unauthorized"), challenge);
        Matcher nonce = Pattern.compile("Digest realm=\"Tributary\", nonce=\"([^\"]+)\"").matcher(challenge);
        assertTrue(nonce.find(), challenge);
        assertTrue(challenge.contains("WWW-Authenticate: Basic realm=\"Tributary\""), challenge);

        String uri = "rtsp://127.0.0.1:8554/live";
        String wrong = digest("pub", "guess", nonce.group(1), uri);
        assertTrue(request(announce("live", SDP_JPEG, wrong)).startsWith("RTSP/1.0 401"));
        String right = digest("pub", "secret", nonce.group(1), uri);
        String reply = request(announce("live", SDP_JPEG, right));
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);

        String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                "pub:secret".getBytes(StandardCharsets.UTF_8)) + "\r\n";
        assertTrue(request(announce("other", SDP_JPEG, basic)).startsWith("RTSP/1.0 200 OK"));
        String forged = digest("pub", "secret", "5f000000.00000000000000000000000000000000", uri);
        assertTrue(request(announce("third", SDP_JPEG, forged)).startsWith("RTSP/1.0 401"), "a nonce not ours");
    }

    private static String digest(String user, String password, String nonce, String uri) {
        String ha1 = PublishAccess.md5(user + ":Tributary:" + password);
        String ha2 = PublishAccess.md5("ANNOUNCE:" + uri);
        String response = PublishAccess.md5(ha1 + ":" + nonce + ":" + ha2);
        return "Authorization: Digest username=\"" + user + "\", realm=\"Tributary\", nonce=\"" + nonce
                + "\", uri=\"" + uri + "\", response=\"" + response + "\"\r\n";
    }

    @Test
    void aRedirectedPathAnswers302WithItsLocation() {
        for (String uri : List.of("rtsp://127.0.0.1:8554/moved", "rtsp://127.0.0.1:8554/moved/trackID=0")) {
            for (String method : List.of("OPTIONS", "DESCRIBE", "SETUP", "PLAY")) {
                String reply = request(method + " " + uri + " RTSP/1.0\r\nCSeq: 7\r\n\r\n");
                assertTrue(reply.startsWith("RTSP/1.0 302 Moved Temporarily\r\nCSeq: 7\r\n"), reply);
                assertEquals("rtsp://other.example:8554/demo", header(reply, "Location"));
            }
        }
        assertFalse(request("DESCRIBE rtsp://127.0.0.1:8554/movedness RTSP/1.0\r\nCSeq: 8\r\n\r\n").startsWith(
                "RTSP/1.0 302"));
        assertTrue(request("OPTIONS * RTSP/1.0\r\nCSeq: 9\r\n\r\n").startsWith("RTSP/1.0 200 OK"));
    }

    @Test
    void publishedMediaReadsH264ParameterSetsAndSize() throws Exception {
        String sps = Base64.getEncoder().encodeToString(Fakes.SPS);
        String pps = Base64.getEncoder().encodeToString(Fakes.PPS);
        PublishedMedia media = PublishedMedia.of(org.tributary.rtp.sdp.SdpParser.parse("v=0\r\ns=x\r\nt=0 0\r\n"
                + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;"
                + "sprop-parameter-sets=" + sps + "," + pps + "\r\na=framerate:30\r\n"));
        assertEquals(Codec.H264, media.info().codec());
        assertEquals(96, media.payloadType());
        assertEquals(2, media.info().parameterSets().size());
        assertEquals(30, media.info().frameRate());
        assertTrue(media.info().live());
    }
}
