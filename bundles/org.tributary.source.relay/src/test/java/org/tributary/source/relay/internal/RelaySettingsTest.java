package org.tributary.source.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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
        assertTrue(e.getMessage().startsWith("url must be rtsp://"), e.getMessage());
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
}
