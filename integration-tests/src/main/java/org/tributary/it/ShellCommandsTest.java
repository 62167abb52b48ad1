package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The Gogo commands of scope {@code tributary}, typed into a real Gogo session against the streaming runtime:
 * what they list is what clients see, and what they change, clients notice.
 */
class ShellCommandsTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    static TributaryRuntime runtime;
    static ServiceTracker<CommandProcessor, CommandProcessor> processors;
    static CommandSession session;
    static ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        runtime.install("org.tributary.shell");
        processors = new ServiceTracker<>(runtime.context(), CommandProcessor.class, null);
        processors.open();
        CommandProcessor processor = processors.waitForService(10_000);
        assertNotNull(processor, "the Gogo runtime's CommandProcessor");
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
        }
        if (processors != null) {
            processors.close();
        }
    }

    @Test
    void streamsListsTheDemoStreamRunning() throws Exception {
        String out = execute("tributary:streams");

        String demo = line(out, l -> l.startsWith("demo ")).orElseThrow(() -> new AssertionError(out));
        assertTrue(demo.matches("demo\\s+file\\s+RUNNING\\s+JPEG\\s+320x240\\s+25\\s+\\d+.*"), out);
    }

    @Test
    void aClientPlayingIsListedAsASessionAndKickEndsIt(@TempDir Path dir) throws Exception {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "udp", "-i",
                runtime.url("demo"), "-t", "30", "-f", "null", "-")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        try {
            String sessions = await("sessions", out -> line(out, ShellCommandsTest::playingDemo).isPresent());
            String id = line(sessions, ShellCommandsTest::playingDemo).orElseThrow().split("\\s+")[0];
            assertTrue(sessions.startsWith("ID"), "a table with a header:\n" + sessions);

            String transports = execute("transports");
            assertTrue(line(transports, l -> l.matches("RTP/AVP\\s+org\\.tributary\\.transport\\.udp\\s+[1-9]\\d*"))
                    .isPresent(), "the UDP transport counts the session:\n" + transports);

            assertTrue(execute("kick " + id).startsWith("kicked session " + id), "kicked " + id);
            await("sessions", out -> line(out, l -> l.startsWith(id + " ")).isEmpty());
        } finally {
            ffmpeg.destroyForcibly().waitFor();
        }
    }

    @Test
    void stoppingTheDemoMakesDescribeAnswer503AndStartingBringsItBack() throws Exception {
        try {
            assertTrue(execute("stream stop demo").startsWith("stopped stream demo"));
            assertTrue(line(execute("streams"), l -> l.matches("demo\\s+file\\s+STOPPED.*")).isPresent());

            Processes.Result refused = ffprobe();
            assertFalse(refused.ok(), refused.output());
            assertTrue(refused.output().contains("503"), "DESCRIBE of a stopped stream answers 503:\n" + refused.output());
        } finally {
            assertTrue(execute("stream start demo").startsWith("started stream demo"), "the demo stream is back");
        }
        await("streams", out -> line(out, l -> l.matches("demo\\s+file\\s+RUNNING.*")).isPresent());
        Processes.Result played = ffprobe();
        assertTrue(played.ok(), played.output());
        assertEquals("mjpeg,320,240", played.output().strip(), played.output());
    }

    @Test
    void aWrongArgumentPrintsOneLine() throws Exception {
        assertOneLine("usage: stream stop NAME", execute("stream stop"));
        assertOneLine("expected key=value, got 'frameRate'", execute("stream add file clip frameRate"));
        assertOneLine("unknown action 'play'; " + "usage: stream add TYPE NAME [key=value...] | stream set NAME "
                + "key=value... | stream remove|start|stop|show NAME | stream push NAME HOST:PORT [file=PATH]",
                execute("stream play demo"));
        assertOneLine("usage: kick ID, ID as sessions lists it", execute("kick"));
        String unknown = execute("stream stop no-such-stream");
        assertFalse(unknown.contains("\n") || unknown.contains("Exception"), unknown);
        assertTrue(unknown.contains("no-such-stream"), "the message names the stream: " + unknown);
        assertEquals("", printed.toString(StandardCharsets.UTF_8).strip(), "nothing else printed");
    }

    private static void assertOneLine(String expected, String actual) {
        assertEquals(expected, actual);
        assertFalse(actual.contains("\n"), actual);
    }

    private static boolean playingDemo(String line) {
        return line.matches("\\S+\\s+\\S+\\s+demo\\s+RTP/AVP\\s+PLAYING\\s.*");
    }

    private static Optional<String> line(String text, Predicate<String> which) {
        return text.lines().filter(which).findFirst();
    }

    private static Processes.Result ffprobe() throws Exception {
        return Processes.run(CLIENT_TIMEOUT, "ffprobe", "-v", "error", "-rtsp_transport", "udp", "-select_streams",
                "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", runtime.url("demo"));
    }

    /** Runs the command until its answer passes, and returns that answer. */
    private static String await(String command, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String out = execute(command);
        while (!done.test(out)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + command + "' did not show it within " + PATIENCE + ":\n" + out);
            }
            Thread.sleep(200);
            out = execute(command);
        }
        return out;
    }

    /**
     * What the shell would print for the line. Gogo learns of the commands when their components register,
     * a moment after the bundle starts; until then it does not know the name.
     */
    private static String execute(String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return String.valueOf(session.execute(line));
            } catch (IllegalArgumentException e) {
                if (!String.valueOf(e.getMessage()).startsWith("Command not found") || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
