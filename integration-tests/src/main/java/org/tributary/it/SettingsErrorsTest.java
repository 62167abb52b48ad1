package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Bad settings and sources that cannot deliver, seen from Gogo and REST in the running server: a bad setting is one
 * line (Gogo) or a 400 naming the field (REST) and nothing is stored; a relay whose origin does not answer is FAILED
 * with the reason in the stream list, DESCRIBE and the health check; small REST answers (405 on an action with the
 * wrong method, /control problems, session ids as Gogo shows them).
 */
class SettingsErrorsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    static WebRuntime web;
    static TributaryRuntime runtime;
    static Streams streams;
    static ServiceTracker<CommandProcessor, CommandProcessor> processors;
    static CommandSession session;
    static ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws Exception {
        web = WebRuntime.get();
        runtime = web.runtime();
        runtime.install("org.tributary.shell");
        runtime.install("org.tributary.source.relay");
        runtime.install(GstreamerStreams.BUNDLE);
        streams = runtime.streams();
        processors = new ServiceTracker<>(runtime.context(), CommandProcessor.class, null);
        processors.open();
        CommandProcessor processor = processors.waitForService(10_000);
        assertNotNull(processor, "the Gogo runtime's CommandProcessor");
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, out);
    }

    @AfterAll
    static void stop() throws Exception {
        for (String name : new String[] {"r1", "r2", "g1", "deadrelay", "udprelay"}) {
            try {
                streams.delete(name);
            } catch (StreamException e) {
                // Never created: as it should be for most.
            }
        }
        if (session != null) {
            session.close();
        }
        if (processors != null) {
            processors.close();
        }
        GstreamerStreams.remove(runtime);
    }

    @Test
    void aRelayUrlThatIsNotRtspIsOneLineNamingTheSettingAndNothingIsStored() throws Exception {
        String out = execute("stream add relay r1 url=http://example.com/live");
        assertOneLine(out);
        assertTrue(out.contains("setting 'url' must be rtsp://"), out);
        assertTrue(streams.get("r1").isEmpty());
        assertTrue(streams.settings("r1").isEmpty(), "no configuration kept");
        assertEquals("no stream named 'r1'", execute("stream show r1"));
        assertEquals("", printed.toString(StandardCharsets.UTF_8).strip(), "nothing else printed");
    }

    @Test
    void aPipelineWithAMissingElementIsOneLineAndNothingIsStored() throws Exception {
        String out = execute("stream add gstreamer g1 'pipeline=nosuchelement ! jpegenc'");
        assertOneLine(out);
        assertTrue(out.contains("setting 'pipeline' does not parse") && out.contains("nosuchelement"), out);
        assertTrue(streams.get("g1").isEmpty());
        assertTrue(streams.settings("g1").isEmpty(), "no configuration kept");
    }

    @Test
    void restRefusesABadSettingWith400NamingTheFieldAndStoresNothing() throws Exception {
        HttpResponse<String> r = web.json("POST", "/api/streams",
                "{\"name\": \"r2\", \"type\": \"relay\", \"settings\": {\"url\": \"http://example.com/live\"}}");
        JsonNode problem = assertProblem(400, r, "rtsp://");
        assertEquals("url", problem.path("field").asText(), r.body());
        assertEquals(404, web.get("/api/streams/r2").statusCode());
        assertTrue(streams.settings("r2").isEmpty());

        HttpResponse<String> zero = web.json("POST", "/api/streams", "{\"name\": \"r2\", \"type\": \"file\", "
                + "\"settings\": {\"path\": \"/nowhere.mjpeg\", \"frameRate\": 0}}");
        JsonNode low = assertProblem(400, zero, "must be at least 0.001, got 0");
        assertEquals("frameRate", low.path("field").asText(), zero.body());
    }

    @Test
    void anOptionInLowerCaseIsAcceptedAndARelayToNobodyIsFailedWithTheReasonEverywhere() throws Exception {
        int nobody = TributaryRuntime.freeTcpPort();
        String out = execute("stream add relay deadrelay url=rtsp://127.0.0.1:" + nobody + "/live transport=udp");
        assertTrue(out.startsWith("added stream deadrelay"), out);
        assertTrue(execute("stream show deadrelay").contains("transport=UDP"), "stored as the option is spelled");

        await(() -> streams.get("deadrelay").map(s -> s.state() == StreamState.FAILED).orElse(false),
                "the relay is FAILED before anyone watches");
        StreamInfo failed = streams.get("deadrelay").orElseThrow();
        assertTrue(failed.reason().contains("127.0.0.1:" + nobody), failed.reason());
        String shown = execute("streams");
        assertTrue(shown.lines().anyMatch(l -> l.matches("deadrelay\\s+relay\\s+FAILED\\s.*127\\.0\\.0\\.1:" + nobody
                + ".*")), shown);
        assertEquals(503, runtime.describeStatus("deadrelay"), "DESCRIBE of a failed stream");

        HttpResponse<String> health = web.get("/api/health");
        assertEquals(200, health.statusCode(), WebRuntime.show(health));
        JsonNode h = WebRuntime.parse(health);
        assertEquals("UP", h.path("streams").asText(), health.body());
        boolean listed = false;
        for (JsonNode f : h.path("failedStreams")) {
            listed |= f.path("name").asText().equals("deadrelay") && f.path("reason").asText().contains("" + nobody);
        }
        assertTrue(listed, health.body());

        HttpResponse<String> one = web.get("/api/streams/deadrelay");
        JsonNode stream = WebRuntime.parse(one);
        assertEquals("FAILED", stream.path("state").asText(), one.body());
        assertEquals("UDP", stream.path("settings").path("transport").asText(), one.body());
        assertEquals("rtsp://127.0.0.1:" + nobody + "/live", stream.path("settings").path("url").asText(), one.body());
    }

    @Test
    void aBadConfigurationFileMountsNothingAndTheSourceBundleCarriesOn() throws Exception {
        TributaryRuntime.configureFactory(runtime.context(), "org.tributary.source.relay", "handwritten",
                Map.of("name", "handwritten", "url", "http://example.com/live"));
        Thread.sleep(1_000);
        assertTrue(streams.get("handwritten").isEmpty(), "no stream from a bad configuration");
        assertEquals(org.osgi.framework.Bundle.ACTIVE, runtime.bundle("org.tributary.source.relay").getState());
        // The configuration itself is the file's: shown as it is, so the operator sees what to fix.
        assertEquals("http://example.com/live", streams.settings("handwritten").orElseThrow().get("url"));
        streams.delete("handwritten");
    }

    @Test
    void anActionWithTheWrongMethodIs405AndControlErrorsAreProblems() throws Exception {
        HttpResponse<String> get = web.get("/api/streams/demo/start");
        assertProblem(405, get, "POST");
        assertEquals("POST", get.headers().firstValue("Allow").orElse(""), WebRuntime.show(get));
        assertProblem(405, web.send("POST", "/api/streams/demo/preview", null, null), "GET");

        HttpResponse<String> invalid = web.json("POST", "/control", "{\"action\": \"dance\"}");
        JsonNode problem = assertProblem(400, invalid, "action");
        assertEquals("invalid action", problem.path("error").asText(), "the member seed clients read");
        JsonNode unknown = assertProblem(404, web.json("POST", "/control",
                "{\"action\": \"start\", \"stream\": \"no-such\"}"), "no-such");
        assertTrue(unknown.path("message").asText().contains("no-such"), unknown.toString());
    }

    @Test
    void aSessionIsKickedByTheIdGogoShows(@TempDir Path dir) throws Exception {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "udp", "-i",
                runtime.url("demo"), "-t", "60", "-f", "null", "-")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        try {
            String[] shortId = new String[1];
            await(() -> {
                try {
                    shortId[0] = execute("sessions").lines()
                            .filter(l -> l.matches("\\S+\\s+\\S+\\s+demo\\s+RTP/AVP\\s+PLAYING\\s.*"))
                            .map(l -> l.split("\\s+")[0]).findFirst().orElse(null);
                    return shortId[0] != null;
                } catch (Exception e) {
                    return false;
                }
            }, "the session is listed");
            HttpResponse<String> one = web.get("/api/sessions/" + shortId[0]);
            assertEquals(200, one.statusCode(), WebRuntime.show(one));
            String id = WebRuntime.parse(one).path("id").asText();
            assertTrue(id.startsWith(shortId[0]), id + " starts with " + shortId[0]);
            assertProblem(404, web.get("/api/sessions/" + shortId[0].substring(0, 4)), shortId[0].substring(0, 4));

            HttpResponse<String> kicked = web.delete("/api/sessions/" + shortId[0]);
            assertEquals(204, kicked.statusCode(), WebRuntime.show(kicked));
            await(() -> {
                try {
                    return !web.get("/api/sessions").body().contains(id);
                } catch (Exception e) {
                    return false;
                }
            }, "the kicked session is gone");
        } finally {
            ffmpeg.destroyForcibly().waitFor();
        }
    }

    private static JsonNode assertProblem(int status, HttpResponse<String> r, String detailMentions) throws IOException {
        assertEquals(status, r.statusCode(), WebRuntime.show(r));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), WebRuntime.show(r));
        JsonNode problem = WebRuntime.parse(r);
        assertEquals(status, problem.path("status").asInt(), r.body());
        String detail = problem.path("detail").asText();
        assertFalse(detail.contains("Exception") || detail.contains("\tat "), "no stack trace: " + detail);
        assertTrue(detail.toLowerCase(Locale.ROOT).contains(detailMentions.toLowerCase(Locale.ROOT)),
                "the detail mentions '" + detailMentions + "': " + detail);
        return problem;
    }

    private static void assertOneLine(String out) {
        assertFalse(out.contains("\n") || out.contains("Exception") || out.contains("\tat "), out);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + PATIENCE);
            }
            Thread.sleep(200);
        }
    }

    private static String execute(String line) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
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
