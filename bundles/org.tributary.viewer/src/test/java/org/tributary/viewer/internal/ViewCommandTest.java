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
        assertEquals(ViewCommand.NO_DISPLAY, command.open("udp", "rtsp://127.0.0.1:8554/demo"));
        assertEquals(0, command.windows());
    }

    @Test
    void anUnknownTransportIsRefused() {
        assertEquals("transport must be udp or tcp, not sctp",
                new ViewCommand(8080).open("sctp", "rtsp://127.0.0.1:8554/demo"));
    }

    @Test
    void withoutAUrlTheCommandAnswersItsUsage() {
        ViewCommand command = new ViewCommand(8080);
        assertEquals(ViewCommand.USAGE, command.view());
        assertEquals(ViewCommand.USAGE, command.view("-t"));
        assertEquals(ViewCommand.USAGE, command.view("-t", "tcp"));
        assertEquals(ViewCommand.USAGE, command.view("rtsp://a/b", "rtsp://c/d", "x"));
        assertEquals("transport must be udp or tcp, not sctp", command.view("-t", "sctp", "rtsp://127.0.0.1:8554/demo"));
        assertEquals(ViewCommand.NO_DISPLAY, command.view("--transport", "TCP", "rtsp://127.0.0.1:8554/demo"));
    }
}
