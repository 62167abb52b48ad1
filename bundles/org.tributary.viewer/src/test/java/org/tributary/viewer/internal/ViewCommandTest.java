package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.GraphicsEnvironment;

import org.junit.jupiter.api.Test;

/** The Gogo command where there is no display (a server's runtime); with one, see ViewerWindowTest. */
class ViewCommandTest {

    @Test
    void withoutADisplayTheCommandSaysSoInOneLine() {
        assertTrue(GraphicsEnvironment.isHeadless(), "the tests of this module run headless (pom: java.awt.headless)");
        ViewCommand command = new ViewCommand(8080);
        assertEquals("no display: the runtime runs headless; start it with -Dtributary.viewer=true and DISPLAY set "
                + "(a desktop or Xvfb) for viewer windows",
                command.view("udp", "rtsp://127.0.0.1:8554/demo"));
        assertEquals(0, command.windows());
    }

    @Test
    void anUnknownTransportIsRefused() {
        assertEquals("transport must be udp or tcp, not sctp",
                new ViewCommand(8080).view("sctp", "rtsp://127.0.0.1:8554/demo"));
    }
}
