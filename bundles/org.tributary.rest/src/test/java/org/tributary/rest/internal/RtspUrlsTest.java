package org.tributary.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RtspUrlsTest {

    @Test
    void theUrlUsesTheHostAskedTheRtspPortAndTheStreamAsPath() {
        assertEquals("rtsp://cam.example:8554/demo", RtspUrls.url("cam.example", 8554, "demo"));
        assertEquals("rtsp://127.0.0.1:9554/cams/front", RtspUrls.url("127.0.0.1", 9554, "cams/front"));
    }

    @Test
    void anIpv6HostIsBracketedAndAMissingHostIsLocalhost() {
        assertEquals("rtsp://[::1]:8554/demo", RtspUrls.url("::1", 8554, "demo"));
        assertEquals("rtsp://[::1]:8554/demo", RtspUrls.url("[::1]", 8554, "demo"), "as the Host header has it");
        assertEquals("rtsp://[2001:db8::7]:9554/cams/front", RtspUrls.url("[2001:db8::7]", 9554, "cams/front"));
        assertEquals("rtsp://[fe80::1%25eth0]:8554/demo", RtspUrls.url("[fe80::1%eth0]", 8554, "demo"));
        assertEquals("rtsp://[fe80::1%25eth0]:8554/demo", RtspUrls.url("fe80::1%25eth0", 8554, "demo"));
        assertEquals("rtsp://localhost:8554/demo", RtspUrls.url("", 8554, "demo"));
    }

    @Test
    void withoutConfigurationThePortIsTheFrameworkPropertyElse8554() {
        assertEquals(9554, RtspUrls.port(null, "9554"));
        assertEquals(8554, RtspUrls.port(null, null));
        assertEquals(8554, RtspUrls.port(null, "not a port"));
    }

    @Test
    void anyFreePortAndNonsenseCountAsAbsent() {
        assertNull(RtspUrls.parse(0));
        assertNull(RtspUrls.parse(-1));
        assertNull(RtspUrls.parse("70000"));
        assertEquals(554, RtspUrls.parse(" 554 "));
    }
}
