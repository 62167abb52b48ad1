package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tributary.rtsp.client.LowerTransport;

class ViewerArgumentsTest {

    @Test
    void aUrlPlaysOverUdpByDefault() {
        ViewerArguments a = ViewerArguments.parse("rtsp://localhost:8554/demo");
        assertEquals("rtsp://localhost:8554/demo", a.url());
        assertEquals(LowerTransport.UDP, a.transport());
        assertEquals(8080, a.httpPort());
        assertNull(a.note());
    }

    @Test
    void optionsChooseTcpAndTheRestPort() {
        ViewerArguments a = ViewerArguments.parse("--tcp", "--http-port", "9080", "rtsp://h/x");
        assertEquals(LowerTransport.TCP, a.transport());
        assertEquals(9080, a.httpPort());
    }

    @Test
    void theLabClientsArgumentsPlayTheFileAndSayTheRtpPortIsIgnored() {
        ViewerArguments a = ViewerArguments.parse("localhost", "8554", "25000", "movie.Mjpeg");
        assertEquals("rtsp://localhost:8554/movie.Mjpeg", a.url());
        assertTrue(a.note().contains("rtp_port 25000 is ignored"), a.note());
    }

    @Test
    void wrongArgumentsSayWhatIsWrong() {
        assertEquals("no URL given", assertThrows(IllegalArgumentException.class, ViewerArguments::parse).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ViewerArguments.parse("localhost", "eighty", "25000", "movie.Mjpeg")).getMessage()
                .startsWith("port must be a port number"));
        assertEquals("unknown option --fast",
                assertThrows(IllegalArgumentException.class, () -> ViewerArguments.parse("--fast", "rtsp://h/x"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ViewerArguments.parse("a", "b"))
                .getMessage().contains("got 2"));
    }
}
