package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.MediaInfo;
import org.tributary.api.Transport;
import org.tributary.transport.tcp.internal.TcpSettings;
import org.tributary.transport.tcp.internal.TcpTransport;
import org.tributary.transport.udp.internal.UdpSettings;
import org.tributary.transport.udp.internal.UdpTransport;

/**
 * A client on {@code ::1}, the address {@code localhost} resolves to first on most systems, against the server on a
 * real port with the real UDP and TCP transports on all interfaces: the SDP names the origin as SDP writes IPv6
 * ({@code IN IP6 ::1}, {@code c=IN IP6 ::}), the URLs the server makes carry the host in brackets, RTP reaches
 * the client over UDP and interleaved in the connection, and the client may publish as a program of this machine.
 */
class Ipv6ClientTest {

    private static final InetAddress IPV6_LOOPBACK = address("::1");

    private final Fakes.FakeStreams streams = new Fakes.FakeStreams()
            .add("clip", MediaInfo.jpeg(64, 48, 25, Duration.ofSeconds(10)));
    private UdpTransport udp;
    private TcpTransport tcp;
    private RtspServer server;
    private int port;
    private Socket socket;
    private int cseq;

    @BeforeEach
    void start() throws Exception {
        udp = new UdpTransport(new UdpSettings(null, 0, 10, 1 << 20, 0, true, true));
        tcp = new TcpTransport(TcpSettings.defaults());
        TransportRegistry transports = new TransportRegistry();
        transports.add(udp, Map.of(Transport.PROFILE, "RTP/AVP"));
        transports.add(tcp, Map.of(Transport.PROFILE, "RTP/AVP/TCP"));
        server = new RtspServer(RtspSettings.defaults(0), streams, transports);
        port = server.start();
        socket = new Socket();
        socket.connect(new InetSocketAddress(IPV6_LOOPBACK, port), 10_000);
        socket.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() throws Exception {
        socket.close();
        server.close();
        udp.close();
        tcp.close();
    }

    @Test
    void describeNamesTheOriginAsSdpWritesIpv6AndContentBaseHasTheHostInBrackets() throws Exception {
        String reply = request("DESCRIBE rtsp://[::1]:" + port + "/clip RTSP/1.0", "Accept: application/sdp");
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
        assertEquals("rtsp://[::1]:" + port + "/clip/", header(reply, "Content-Base"));
        String sdp = reply.substring(reply.indexOf("\r\n\r\n") + 4);
        assertTrue(sdp.matches("(?s)v=0\r\no=- \\d+ 1 IN IP6 ::1\r\ns=clip\r\nc=IN IP6 ::\r\n.*"), sdp);
        assertFalse(sdp.contains("["), "no brackets in SDP: " + sdp);

        // A request URI without scheme and host: Content-Base names the address the client reached.
        String relative = request("DESCRIBE /clip RTSP/1.0");
        assertEquals("rtsp://[::1]:" + port + "/clip/", header(relative, "Content-Base"), relative);
    }

    @Test
    void rtpOverUdpReachesTheClientsIpv6PortsAndRtpInfoHasTheHostInBrackets() throws Exception {
        try (DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(IPV6_LOOPBACK, 0));
                DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(IPV6_LOOPBACK, 0))) {
            rtp.setSoTimeout(10_000);
            String base = "rtsp://[::1]:" + port + "/clip/";
            String setup = request("SETUP " + base + "trackID=0 RTSP/1.0",
                    "Transport: RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-" + rtcp.getLocalPort());
            assertTrue(setup.startsWith("RTSP/1.0 200 OK"), setup);
            String transport = header(setup, "Transport");
            assertTrue(transport.matches("RTP/AVP;unicast;client_port=" + rtp.getLocalPort() + "-"
                    + rtcp.getLocalPort() + ";server_port=" + udp.rtpPort() + "-" + (udp.rtpPort() + 1)
                    + ";ssrc=[0-9A-F]{8}"), transport);

            String play = request("PLAY " + base + " RTSP/1.0", "Session: " + session(setup), "Range: npt=0.000-");
            assertTrue(play.startsWith("RTSP/1.0 200 OK"), play);
            assertTrue(header(play, "RTP-Info").startsWith("url=" + base + "trackID=0;seq="), play);

            streams.last().deliver(Fakes.frame(0, Duration.ZERO));
            DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
            rtp.receive(packet);
            assertTrue(packet.getAddress() instanceof Inet6Address, "over IPv6: " + packet.getAddress());
            assertEquals(udp.rtpPort(), packet.getPort());
            assertEquals(0x80, packet.getData()[0] & 0xC0, "RTP version 2");
            assertEquals(26, packet.getData()[1] & 0x7F, "JPEG");
        }
    }

    @Test
    void rtpInterleavedReachesTheClientOnItsIpv6Connection() throws Exception {
        String base = "rtsp://[::1]:" + port + "/clip/";
        String setup = request("SETUP " + base + "trackID=0 RTSP/1.0",
                "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        assertEquals("RTP/AVP/TCP;unicast;interleaved=0-1", header(setup, "Transport").replaceAll(";ssrc=.*", ""),
                setup);
        String play = request("PLAY " + base + " RTSP/1.0", "Session: " + session(setup));
        assertTrue(play.startsWith("RTSP/1.0 200 OK"), play);

        streams.last().deliver(Fakes.frame(0, Duration.ZERO));
        DataInputStream in = new DataInputStream(socket.getInputStream());
        while (true) {
            assertEquals('$', in.readUnsignedByte(), "an interleaved frame");
            int channel = in.readUnsignedByte();
            byte[] packet = new byte[in.readUnsignedShort()];
            in.readFully(packet);
            if (channel == 0) {
                assertEquals(26, packet[1] & 0x7F, "JPEG");
                break;
            }
            assertEquals(1, channel, "RTCP on the channel after RTP's");
        }
    }

    @Test
    void aClientOnIpv6LoopbackPublishesWithoutCredentials() throws Exception {
        String sdp = "v=0\r\no=- 0 0 IN IP6 ::1\r\ns=live\r\nc=IN IP6 ::1\r\nt=0 0\r\nm=video 0 RTP/AVP 26\r\n"
                + "a=control:streamid=0\r\n";
        String reply = request("ANNOUNCE rtsp://[::1]:" + port + "/live RTSP/1.0",
                "Content-Type: application/sdp", "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp);
        assertTrue(reply.startsWith("RTSP/1.0 200 OK"), reply);
    }

    @Test
    void theLoopbackRuleKnowsIpv6AndIpv4MappedLoopback() throws Exception {
        assertTrue(PublishAccess.isLoopback(IPV6_LOOPBACK));
        assertTrue(PublishAccess.isLoopback(address("127.0.0.1")));
        assertTrue(PublishAccess.isLoopback(Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, 127, 0, 0, 9}, -1)));
        assertFalse(PublishAccess.isLoopback(Inet6Address.getByAddress(null,
                new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 7}, -1)));
        assertFalse(PublishAccess.isLoopback(address("2001:db8::1")));
        assertFalse(PublishAccess.isLoopback(null));
        assertEquals("[::1]", RtspService.hostLiteral(address("0:0:0:0:0:0:0:1")));
        assertEquals("[fe80::1]", RtspService.hostLiteral(address("fe80::1%1")));
        assertEquals("127.0.0.1", RtspService.hostLiteral(address("127.0.0.1")));
    }

    /** Sends a request with the next CSeq (headers may end in a body) and reads its reply with any body. */
    private String request(String line, String... headers) throws IOException {
        StringBuilder text = new StringBuilder(line).append("\r\nCSeq: ").append(++cseq).append("\r\n");
        boolean body = false;
        for (String h : headers) {
            text.append(h);
            body |= h.contains("\r\n\r\n");
            if (!h.contains("\r\n\r\n")) {
                text.append("\r\n");
            }
        }
        if (!body) {
            text.append("\r\n");
        }
        socket.getOutputStream().write(text.toString().getBytes(StandardCharsets.UTF_8));
        return readReply(socket.getInputStream());
    }

    /** Reads the next reply, skipping interleaved frames (the server's RTCP) that come before it. */
    private static String readReply(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after: " + head);
            }
            if (b == '$' && head.length() == 0) {
                DataInputStream frame = new DataInputStream(in);
                frame.readUnsignedByte();
                frame.skipNBytes(frame.readUnsignedShort());
                continue;
            }
            head.append((char) b);
        }
        String length = header(head.toString(), "Content-Length");
        if (length != null) {
            byte[] body = new DataInputStream(in).readNBytes(Integer.parseInt(length.trim()));
            head.append(new String(body, StandardCharsets.UTF_8));
        }
        return head.toString();
    }

    private static String header(String reply, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ": ?(.*?)\r?$").matcher(reply);
        return m.find() ? m.group(1) : null;
    }

    private static String session(String reply) {
        String session = header(reply, "Session");
        assertNotNull(session, reply);
        return session.split(";")[0];
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
