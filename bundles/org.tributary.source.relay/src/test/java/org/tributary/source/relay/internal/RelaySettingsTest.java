package org.tributary.source.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tributary.api.StreamException;
import org.tributary.rtsp.client.LowerTransport;

class RelaySettingsTest {

    @Test
    void theOriginShownToPeopleHasNoCredentials() {
        RelaySettings s = new RelaySettings("cam", "rtsp://admin:s3cret@10.0.0.7:554/live?ch=1", LowerTransport.TCP,
                true, 1, 5);
        assertEquals("rtsp://10.0.0.7:554/live?ch=1", s.origin());
    }

    @Test
    void aBadUrlIsRefusedWithoutRepeatingItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RelaySettings("cam", "http://admin:s3cret@cam/live", LowerTransport.TCP, true, 1, 5));
        assertTrue(e.getMessage().startsWith("setting 'url' must be rtsp://"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new RelaySettings("cam", " ", LowerTransport.TCP, true, 1, 5));
    }

    @Test
    void reconnectingWaitsDoubleAfterEachFailureUpTo30Seconds() {
        RelaySettings s = new RelaySettings("cam", "rtsp://cam/live", LowerTransport.TCP, true, 1, 5);
        long[] waits = new long[7];
        for (int i = 0; i < waits.length; i++) {
            waits[i] = s.reconnectDelayMillis(i + 1);
        }
        assertEquals("[1000, 2000, 4000, 8000, 16000, 30000, 30000]", java.util.Arrays.toString(waits));
    }

    @Test
    void theTransportIsTcpUnlessUdpIsAskedFor() {
        assertEquals(LowerTransport.TCP, RelaySettings.transport(null));
        assertEquals(LowerTransport.TCP, RelaySettings.transport("tcp"));
        assertEquals(LowerTransport.UDP, RelaySettings.transport(" UDP "));
        assertThrows(IllegalArgumentException.class, () -> RelaySettings.transport("SCTP"));
    }

    @Test
    void theCheckNamesTheSettingAndWhatIsAllowed() {
        RelaySettingsCheck check = new RelaySettingsCheck();
        assertEquals("setting 'url' must be rtsp://[user:password@]host[:port]/path, not 'http://example.com/live'",
                assertThrows(StreamException.class, () -> check.check(Map.of("name", "r1", "url",
                        "http://example.com/live"))).getMessage());
        assertEquals("setting 'url' has no host: 'rtsp:///live'; write rtsp://host[:port]/path",
                assertThrows(StreamException.class, () -> check.check(Map.of("name", "r1", "url", "rtsp:///live")))
                        .getMessage());
        assertTrue(assertThrows(StreamException.class, () -> check.check(Map.of("name", "r1", "url",
                "rtsps://cam/live"))).getMessage().startsWith("setting 'url' is rtsps://"));
        assertEquals("setting 'transport' must be TCP or UDP, not 'SCTP'", assertThrows(StreamException.class,
                () -> check.check(Map.of("name", "r1", "url", "rtsp://cam/live", "transport", "SCTP"))).getMessage());
        assertEquals("setting 'connectTimeoutSeconds' must be at least 1, got 0", assertThrows(StreamException.class,
                () -> check.check(Map.of("name", "r1", "url", "rtsp://cam/live", "connectTimeoutSeconds", 0)))
                        .getMessage());
        assertEquals(StreamException.Kind.INVALID, assertThrows(StreamException.class,
                () -> check.check(Map.of("name", "r1"))).kind());
    }

    @Test
    void theCheckAcceptsAGoodRelayWithoutConnecting() throws Exception {
        new RelaySettingsCheck().check(Map.of("name", "r1", "url", "rtsp://192.0.2.1:554/live", "transport", "udp"));
        RelaySettings s = RelaySettingsCheck.of(Map.of("name", "r1", "url", "rtsp://cam/live", "onDemand", false));
        assertEquals(LowerTransport.TCP, s.transport());
        assertFalse(s.onDemand());
        assertEquals(5, s.connectTimeoutSeconds());
    }

    @Test
    void aConfigurationIsNamedByItsPidAndFile() {
        assertEquals("configuration org.tributary.source.relay~r1 (file:/srv/deploy/r1.cfg)",
                RelayComponent.configuration(Map.of("service.pid", "org.tributary.source.relay~r1",
                        "felix.fileinstall.filename", "file:/srv/deploy/r1.cfg")));
    }
}
