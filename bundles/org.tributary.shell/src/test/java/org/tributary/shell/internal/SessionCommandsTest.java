package org.tributary.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.tributary.api.DeliveryStats;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.Transport;

class SessionCommandsTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    private final FakeSessions server = new FakeSessions();
    private final SessionCommands commands = new SessionCommands(Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void play() throws Exception {
        // 250,000 bytes in 10 s is 200 kbit/s; 0 bytes over 2 s is 0.
        server.with(new SessionInfo("3F2A9C0D11E4B7A5", new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 50512),
                "demo", "RTP/AVP", SessionState.PLAYING, NOW.minusSeconds(10), new DeliveryStats(2_000, 250_000, 3)));
        server.with(new SessionInfo("12345678", new InetSocketAddress(InetAddress.getByName("::1"), 40000),
                "movie.Mjpeg", "RTP/AVP/TCP", SessionState.READY, NOW.minusSeconds(2), DeliveryStats.NONE));
        commands.sessions = server;
    }

    @Test
    void sessionsListsEachWithItsCountersAndAverageBitrate() {
        // One space between columns: an IPv6 client and a TCP session still fit 80 columns.
        assertEquals("""
                ID       CLIENT                  STREAM      TRANSPORT   STATE   PACKETS DROPPED KBIT/S
                3F2A9C0D 192.168.1.20:50512      demo        RTP/AVP     PLAYING    2000       3    200
                12345678 [0:0:0:0:0:0:0:1]:40000 movie.Mjpeg RTP/AVP/TCP READY         0       0      0""",
                commands.sessions());
    }

    @Test
    void sessionsSayInOneLineThatTheRtspServerIsNotRunning() {
        commands.sessions = null;

        assertEquals(Answers.SESSIONS_ABSENT, commands.sessions());
        assertEquals(Answers.SESSIONS_ABSENT, commands.kick("12345678"));
    }

    @Test
    void noSessionsSaysSo() {
        server.sessions.clear();

        assertEquals("no sessions", commands.sessions());
    }

    @Test
    void kickEndsTheSessionOfThatId() {
        assertEquals("kicked session 12345678", commands.kick("12345678"));
        assertEquals(1, server.sessions.size());

        assertEquals("no session with id '12345678' (see sessions)", commands.kick("12345678"));
    }

    @Test
    void kickTakesTheShownStartOfAnIdWhenItNamesOneSession() {
        server.with(new SessionInfo("3F2A0000AAAAAAAA", null, "demo", "RTP/AVP", SessionState.PLAYING, NOW,
                DeliveryStats.NONE));

        assertEquals("'3F2A' starts 2 session ids; give more of it (see sessions)", commands.kick("3F2A"));
        assertEquals("kicked session 3F2A9C0D11E4B7A5", commands.kick("3F2A9C0D"));
        assertEquals(2, server.sessions.size());
    }

    @Test
    void kickTakesExactlyOneId() {
        assertEquals("usage: kick ID, ID as sessions lists it", commands.kick());
        assertEquals("usage: kick ID, ID as sessions lists it", commands.kick(""));
        assertEquals("usage: kick ID, ID as sessions lists it", commands.kick("a", "b"));
    }

    @Test
    void shownIdsAreEightCharactersOrAsManyAsTellTwoApart() {
        assertEquals(Map.of("3F2A9C0D11E4B7A5", "3F2A9C0D1", "3F2A9C0D22000000", "3F2A9C0D2", "12345678", "12345678",
                "0000000000000001", "00000000"), SessionCommands.shortIds(
                        List.of("3F2A9C0D11E4B7A5", "3F2A9C0D22000000", "12345678", "0000000000000001")));
    }

    @Test
    void transportsListsEachProfileWithItsBundleAndSessionsUsingIt() {
        commands.transports = List.of(transport("RTP/AVP/TCP", "org.tributary.transport.tcp"),
                transport("RTP/AVP", "org.tributary.transport.udp"));
        server.with(new SessionInfo("AAAA", null, "demo", "RTP/AVP", SessionState.PLAYING, NOW, DeliveryStats.NONE));

        assertEquals("""
                PROFILE      BUNDLE                       SESSIONS
                RTP/AVP      org.tributary.transport.udp         2
                RTP/AVP/TCP  org.tributary.transport.tcp         1""", commands.transports());
    }

    @Test
    void transportsWithoutTheRtspServerAreListedWithoutCounts() {
        commands.transports = List.of(transport("RTP/AVP", "org.tributary.transport.udp"));
        commands.sessions = null;

        assertEquals("PROFILE  BUNDLE                       SESSIONS\n"
                + "RTP/AVP  org.tributary.transport.udp         -\n"
                + "(sessions not counted: " + Answers.SESSIONS_ABSENT + ")", commands.transports());
    }

    @Test
    void noTransportsSaysSo() {
        assertEquals("no transports installed", commands.transports());
    }

    @Test
    void bitrateIsTheAverageSinceTheSessionStarted() {
        assertEquals("8", SessionCommands.kbitPerSecond(1_000, NOW.minusSeconds(1), NOW));
        assertEquals(null, SessionCommands.kbitPerSecond(1_000, NOW, NOW));
        assertEquals(null, SessionCommands.kbitPerSecond(1_000, null, NOW));
    }

    @Test
    void clientAddressIsNeverLookedUp() {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("viewer.example", 554);

        assertEquals("viewer.example:554", SessionCommands.address(unresolved));
        assertEquals("127.0.0.1:1", SessionCommands.address(new InetSocketAddress("127.0.0.1", 1)));
    }

    /** A service reference with only what the command reads: the profile property and the bundle's name. */
    @SuppressWarnings("unchecked")
    private static ServiceReference<Transport> transport(String profile, String bundle) {
        Bundle b = (Bundle) Proxy.newProxyInstance(Bundle.class.getClassLoader(), new Class<?>[] { Bundle.class },
                (p, m, a) -> m.getName().equals("getSymbolicName") ? bundle : null);
        return (ServiceReference<Transport>) Proxy.newProxyInstance(ServiceReference.class.getClassLoader(),
                new Class<?>[] { ServiceReference.class }, (p, m, a) -> switch (m.getName()) {
                    case "getProperty" -> Transport.PROFILE.equals(a[0]) ? profile : null;
                    case "getBundle" -> b;
                    default -> null;
                });
    }
}
