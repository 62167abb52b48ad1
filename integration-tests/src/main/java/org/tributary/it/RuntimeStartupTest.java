package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime jar started the plain way ({@code java -jar}, no terminal, nothing but the ports set), as a new
 * user would: it says it is ready only when the default streams answer, keeps serving without a terminal, keeps
 * its data in {@code ./data}, draws the demo clip with a {@code DISPLAY} that has no X server behind it, and runs
 * with the documented debug logging switch.
 */
class RuntimeStartupTest {

    private static final Duration START = Duration.ofSeconds(120);

    @Test
    void readyMeansTheDefaultStreamsAnswerAndItKeepsServingWithoutATerminal(@TempDir Path dir) throws Exception {
        // :999 names a display no X server serves: the runtime is headless unless the viewer is asked for.
        try (RuntimeProcess runtime = RuntimeProcess.start(dir, Map.of("DISPLAY", ":999"), List.of())) {
            String ready = runtime.awaitLine("Tributary ready:", START);
            // At once, no retry: ready means these answer.
            assertEquals(200, runtime.describeStatus("demo"), runtime.log());
            assertEquals(200, runtime.describeStatus("movie.Mjpeg"), runtime.log());
            assertTrue(ready.contains("rtsp://localhost:" + runtime.rtspPort() + "/demo")
                    && ready.contains("rtsp://localhost:" + runtime.rtspPort() + "/movie.Mjpeg")
                    && ready.contains("http://localhost:" + runtime.httpPort() + "/"), ready);
            runtime.awaitLine("g!", START);
            String log = runtime.log();
            assertTrue(log.indexOf("Tributary ready:") < log.indexOf("g!"), "the prompt comes after ready:\n" + log);

            // The clip was drawn although DISPLAY names no X server; it plays.
            assertEquals(25, runtime.decodedFrames("demo", 25), "frames of /demo decoded");

            // Standard input ended long ago (/dev/null): the server is still there.
            assertTrue(runtime.process().isAlive(), "the runtime keeps serving without a terminal:\n" + runtime.log());
            assertEquals(200, runtime.describeStatus("demo"));
            assertFalse(runtime.log().contains("stopping framework"), runtime.log());

            // Configuration and the framework cache are under ./data, not in a temporary directory.
            assertTrue(Files.isDirectory(dir.resolve("data/cache")), "framework cache in data/cache");
            assertTrue(Files.isDirectory(dir.resolve("data/config")), "configuration in data/config");
        }
    }

    @Test
    void theDocumentedDebugSwitchLogsAndServes(@TempDir Path dir) throws Exception {
        try (RuntimeProcess runtime = RuntimeProcess.start(dir, Map.of(),
                List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"))) {
            runtime.awaitLine("Tributary ready:", START);
            assertEquals(200, runtime.describeStatus("demo"), runtime.log());
            runtime.awaitLine("g!", START);
            String log = runtime.log();
            assertFalse(log.contains("NoClassDefFoundError: org/slf4j"), Processes.tail(log));
            assertFalse(log.contains("NOP"), "SLF4J has its logger:\n" + Processes.tail(log));
            assertTrue(log.lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[.+\\] DEBUG .+ - .*")),
                    "debug lines in the documented form:\n" + Processes.tail(log));
        }
    }
}
