package org.tributary.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.DeliveryStats;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.SourceType;
import org.tributary.api.StreamState;

/**
 * The commands through Gogo's own parser and method resolution, as the shell calls them: how words become
 * arguments (quotes, digits, {@code key=value}) is Gogo's, and only a real Gogo shows it.
 */
class GogoShellTest {

    private final FakeStreams core = new FakeStreams();
    private final FakeSessions server = new FakeSessions();
    private CommandSession session;

    @BeforeEach
    void shell() {
        core.types.add(new SourceType("file", "org.tributary.source.file", "MJPEG files", "org.tributary.source.file"));
        core.with(FakeStreams.jpeg("demo", StreamState.RUNNING, "", 1));
        server.with(new SessionInfo("12345678", new InetSocketAddress("127.0.0.1", 5000), "demo", "RTP/AVP",
                SessionState.PLAYING, Instant.now(), DeliveryStats.NONE));
        StreamCommands streams = new StreamCommands();
        streams.streams = core;
        SessionCommands sessions = new SessionCommands();
        sessions.sessions = server;

        CommandProcessorImpl processor = new CommandProcessorImpl();
        for (String function : new String[] { "streams", "stream", "sources" }) {
            processor.addCommand("tributary", streams, function);
        }
        for (String function : new String[] { "sessions", "kick", "transports" }) {
            processor.addCommand("tributary", sessions, function);
        }
        ByteArrayOutputStream ignored = new ByteArrayOutputStream();
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), new PrintStream(ignored),
                new PrintStream(ignored));
    }

    @Test
    void commandsAnswerByScopedAndPlainName() throws Exception {
        assertTrue(execute("tributary:streams").contains("demo"));
        assertTrue(execute("streams").contains("demo"));
        assertTrue(execute("sessions").contains("12345678"));
    }

    @Test
    void settingsReachTheCoreAsStringsWithQuotesDigitsAndBooleansKept() throws Exception {
        String out = execute("stream add file clip \"path=clips/a b.mjpeg\" frameRate=25 loop=true start=0123");

        assertEquals("added stream clip (file, STARTING)", out);
        assertEquals(Map.of("path", "clips/a b.mjpeg", "frameRate", "25", "loop", "true", "start", "0123"),
                core.lastSettings);
    }

    @Test
    void aNumericSessionIdArrivesAsTyped() throws Exception {
        assertEquals("kicked session 12345678", execute("kick 12345678"));
    }

    @Test
    void missingOrExtraWordsGetAUsageLineNotACoercionError() throws Exception {
        assertEquals(StreamCommands.USAGE, execute("stream"));
        assertEquals("usage: stream stop NAME", execute("stream stop"));
        assertEquals("usage: kick ID, ID as sessions lists it", execute("kick"));
        assertEquals("expected key=value, got 'true'", execute("stream add file clip true"));
    }

    private String execute(String line) throws Exception {
        return String.valueOf(session.execute(line));
    }
}
