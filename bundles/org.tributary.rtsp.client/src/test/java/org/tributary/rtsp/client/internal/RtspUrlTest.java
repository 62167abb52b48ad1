package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RtspUrlTest {

    @Test
    void credentialsAreTakenOutOfTheRequestUrl() {
        RtspUrl url = RtspUrl.parse("rtsp://us%40er:p%3Ass@cam.local:8554/live/main?x=1");
        assertEquals("cam.local", url.host());
        assertEquals(8554, url.port());
        assertEquals("rtsp://cam.local:8554/live/main?x=1", url.requestUrl());
        assertEquals("us@er", url.username());
        assertEquals("p:ss", url.password());
    }

    @Test
    void portDefaultsTo554AndPathToSlash() {
        RtspUrl url = RtspUrl.parse("rtsp://10.0.0.1");
        assertEquals(554, url.port());
        assertEquals("rtsp://10.0.0.1/", url.requestUrl());
        assertNull(url.username());
    }

    @Test
    void anIpv6HostIsConnectedToBareAndKeptInBracketsOnTheWire() {
        RtspUrl url = RtspUrl.parse("rtsp://pub:pw@[::1]:8554/demo");
        assertEquals("::1", url.host(), "what the socket connects to");
        assertEquals(8554, url.port());
        assertEquals("rtsp://[::1]:8554/demo", url.requestUrl());
        assertEquals("pub", url.username());
        assertEquals("rtsp://[::1]:8554/demo/trackID=0", RtspUrl.resolve("rtsp://[::1]:8554/demo/", "trackID=0"));
        assertEquals("rtsp://[::1]:8554/abs", RtspUrl.resolve("rtsp://[::1]:8554/demo/", "/abs"));
        assertEquals(554, RtspUrl.parse("rtsp://[2001:db8::7]/x").port());
    }

    @Test
    void otherSchemesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RtspUrl.parse("http://h/x"));
        assertThrows(IllegalArgumentException.class, () -> RtspUrl.parse("rtsp:///x"));
    }

    @Test
    void controlUrlsResolveAgainstTheBaseAsADirectory() {
        assertEquals("rtsp://h/test/stream=0", RtspUrl.resolve("rtsp://h/test/", "stream=0"));
        assertEquals("rtsp://h/test/trackID=1", RtspUrl.resolve("rtsp://h/test", "trackID=1"));
        assertEquals("rtsp://h/test/", RtspUrl.resolve("rtsp://h/test/", "*"));
        assertEquals("rtsp://h/test", RtspUrl.resolve("rtsp://h/test", null));
        assertEquals("rtsp://other:1/t", RtspUrl.resolve("rtsp://h/test/", "rtsp://other:1/t"));
        assertEquals("rtsp://h:9/abs/t0", RtspUrl.resolve("rtsp://h:9/test/", "/abs/t0"));
    }

    @Test
    void transportRepliesAreRead() {
        TransportHeader udp = TransportHeader.parse(
                "RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=1A2B3C4D;mode=\"PLAY\"");
        assertEquals(false, udp.tcp());
        assertEquals(6970, udp.serverRtpPort());
        assertEquals(6971, udp.serverRtcpPort());
        assertEquals("1A2B3C4D", udp.ssrc());

        TransportHeader tcp = TransportHeader.parse("RTP/AVP/TCP; unicast; interleaved = 2-3");
        assertEquals(true, tcp.tcp());
        assertEquals(2, tcp.rtpChannel());
        assertEquals(3, tcp.rtcpChannel());
        assertEquals(-1, tcp.serverRtpPort());
    }
}
