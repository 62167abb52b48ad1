package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.StreamState;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The REST API against the real runtime over HTTP: every resource, what it changes for RTSP clients, and the
 * answers to bad input (unknown stream 404, invalid setting 400 naming it, duplicate name 409, wrong content
 * type 415), each a problem document a person can act on.
 */
class RestApiTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static WebRuntime web;
    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        web = WebRuntime.get();
        runtime = web.runtime();
    }

    // --- streams

    @Test
    void listsTheDemoStreamRunningWithItsRtspUrl() throws Exception {
        HttpResponse<String> r = web.get("/api/streams");
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), WebRuntime.show(r));
        JsonNode demo = find(WebRuntime.parse(r), s -> s.path("name").asText().equals("demo"));
        assertEquals("RUNNING", demo.path("state").asText(), demo.toString());
        assertEquals("JPEG", demo.path("codec").asText());
        assertEquals(320, demo.path("width").asInt());
        assertEquals(runtime.url("demo"), demo.path("rtspUrl").asText(), "RTSP URL: the host asked, the RTSP port");
        assertEquals("mjpeg", demo.path("preview").asText());

        HttpResponse<String> one = web.get("/api/streams/demo");
        assertEquals(200, one.statusCode(), WebRuntime.show(one));
        assertEquals("demo", WebRuntime.parse(one).path("name").asText());
    }

    @Test
    void anUnknownStreamAnswers404WithAProblemNamingIt() throws Exception {
        for (HttpResponse<String> r : List.of(web.get("/api/streams/no-such-stream"),
                web.json("POST", "/api/streams/no-such-stream/stop", null),
                web.json("POST", "/api/streams/no-such-stream/start", null),
                web.json("PATCH", "/api/streams/no-such-stream", "{\"settings\":{\"frameRate\":5}}"),
                web.delete("/api/streams/no-such-stream"))) {
            assertProblem(404, r, "no-such-stream");
        }
    }

    @Test
    void anInvalidSettingAnswers400NamingTheField() throws Exception {
        HttpResponse<String> r = web.json("POST", "/api/streams", "{\"name\":\"bad-rate\",\"type\":\"file\","
                + "\"settings\":{\"path\":\"" + clip() + "\",\"frameRate\":\"fast\"}}");
        JsonNode problem = assertProblem(400, r, "frameRate");
        assertEquals("frameRate", problem.path("field").asText(), WebRuntime.show(r));

        HttpResponse<String> unknown = web.json("POST", "/api/streams", "{\"name\":\"bad-key\",\"type\":\"file\","
                + "\"settings\":{\"path\":\"" + clip() + "\",\"speed\":2}}");
        assertProblem(400, unknown, "speed");

        HttpResponse<String> noType = web.json("POST", "/api/streams", "{\"name\":\"x\"}");
        assertEquals("type", assertProblem(400, noType, "type").path("field").asText());

        HttpResponse<String> badType = web.json("POST", "/api/streams", "{\"name\":\"x\",\"type\":\"telepathy\"}");
        assertEquals("type", assertProblem(400, badType, "telepathy").path("field").asText());

        assertProblem(400, web.json("POST", "/api/streams", "{\"name\":\"../up\",\"type\":\"file\"}"), "..");
        assertProblem(400, web.json("POST", "/api/streams", "{not json"), "JSON");
        assertProblem(400, web.json("POST", "/api/streams", "[1,2]"), "object");
        assertTrue(runtime.streams().get("bad-rate").isEmpty() && runtime.streams().get("bad-key").isEmpty(),
                "nothing was created");
    }

    @Test
    void aDuplicateNameAnswers409() throws Exception {
        HttpResponse<String> r = web.json("POST", "/api/streams", "{\"name\":\"demo\",\"type\":\"file\","
                + "\"settings\":{\"path\":\"" + clip() + "\"}}");
        assertProblem(409, r, "demo");
    }

    @Test
    void aWrongContentTypeAnswers415() throws Exception {
        assertProblem(415, web.send("POST", "/api/streams", "text/plain", "name=x&type=file"), "application/json");
        assertProblem(415, web.send("POST", "/api/streams", null, "{\"name\":\"x\",\"type\":\"file\"}"),
                "application/json");
        assertProblem(415, web.send("PATCH", "/api/streams/demo", "application/x-www-form-urlencoded", "a=b"),
                "application/json");
        assertProblem(415, web.send("POST", "/api/bundles", "text/plain", "x"), "application/json");
    }

    @Test
    void aWrongMethodAnswers405AndAnUnknownPath404() throws Exception {
        HttpResponse<String> r = web.send("PUT", "/api/streams", "application/json", "{}");
        assertProblem(405, r, "PUT");
        assertTrue(r.headers().firstValue("Allow").orElse("").contains("POST"), WebRuntime.show(r));
        assertProblem(404, web.get("/api/no-such-resource"), "openapi");
    }

    @Test
    void aCreatedStreamPlaysChangesPersistsAcrossACoreRestartAndIsDeleted() throws Exception {
        String name = "rest-clip";
        try {
            HttpResponse<String> created = web.json("POST", "/api/streams", "{\"name\":\"" + name
                    + "\",\"type\":\"file\",\"settings\":{\"path\":\"" + clip() + "\",\"frameRate\":10}}");
            assertEquals(201, created.statusCode(), WebRuntime.show(created));
            assertEquals("/api/streams/" + name, created.headers().firstValue("Location").orElse(""));
            assertEquals(runtime.url(name), WebRuntime.parse(created).path("rtspUrl").asText());
            runtime.awaitStream(name, PATIENCE);
            assertEquals(10.0, awaitJson("/api/streams/" + name, s -> s.path("frameRate").asDouble() == 10.0)
                    .path("frameRate").asDouble());
            Processes.Result played = ffprobe(name);
            assertTrue(played.ok(), played.output());
            assertEquals("mjpeg,320,240", played.output().strip());
            assertEquals(1, storedConfigurations(name), "stored in Config Admin");

            HttpResponse<String> changed = web.json("PATCH", "/api/streams/" + name,
                    "{\"settings\":{\"frameRate\":12.5}}");
            assertEquals(200, changed.statusCode(), WebRuntime.show(changed));
            awaitJson("/api/streams/" + name, s -> s.path("frameRate").asDouble() == 12.5);
            assertProblem(400, web.json("PATCH", "/api/streams/" + name, "{\"settings\":{\"frameRate\":-1}}"),
                    "frameRate");

            Bundle core = runtime.bundle("org.tributary.core");
            core.stop();
            core.start();
            runtime.awaitStream(name, PATIENCE);
            runtime.awaitStream("demo", PATIENCE);
            runtime.awaitPort(PATIENCE);
            JsonNode after = awaitJson("/api/streams/" + name, s -> s.path("state").asText().equals("RUNNING"));
            assertEquals(12.5, after.path("frameRate").asDouble(), "the change survived: " + after);

            HttpResponse<String> deleted = web.delete("/api/streams/" + name);
            assertEquals(204, deleted.statusCode(), WebRuntime.show(deleted));
            await(() -> web.get("/api/streams/" + name).statusCode() == 404, "the deleted stream is gone");
            assertEquals(0, storedConfigurations(name), "its configuration is gone");
            assertProblem(404, web.delete("/api/streams/" + name), name);
        } finally {
            if (runtime.streams().get(name).isPresent()) {
                web.delete("/api/streams/" + name);
            }
        }
    }

    @Test
    void stopMakesDescribeAnswer503AndStartBringsTheStreamBack() throws Exception {
        try {
            HttpResponse<String> stopped = web.json("POST", "/api/streams/demo/stop", null);
            assertEquals(200, stopped.statusCode(), WebRuntime.show(stopped));
            assertEquals("STOPPED", WebRuntime.parse(stopped).path("state").asText());
            assertEquals(503, runtime.describeStatus("demo"));
            assertProblem(503, web.get("/api/streams/demo/preview"), "demo");
        } finally {
            HttpResponse<String> started = web.json("POST", "/api/streams/demo/start", null);
            assertEquals(200, started.statusCode(), WebRuntime.show(started));
        }
        runtime.awaitStream("demo", PATIENCE);
        assertEquals(StreamState.RUNNING, runtime.streams().get("demo").orElseThrow().state());
        assertEquals(200, runtime.describeStatus("demo"));
    }

    @Test
    void sourceTypesListTheFileSource() throws Exception {
        HttpResponse<String> r = web.get("/api/source-types");
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        JsonNode file = find(WebRuntime.parse(r), t -> t.path("type").asText().equals("file"));
        assertEquals("org.tributary.source.file", file.path("bundle").asText());
        assertEquals("org.tributary.source.file", file.path("factoryPid").asText());
    }

    // --- sessions, transports, metrics

    @Test
    void aPlayingClientIsListedWithCountersInSessionsTransportsAndMetricsAndKickEndsIt(@TempDir Path dir)
            throws Exception {
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-rtsp_transport", "udp", "-i",
                runtime.url("demo"), "-t", "30", "-f", "null", "-")
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        try {
            JsonNode session = awaitSession(s -> s.path("stream").asText().equals("demo")
                    && s.path("state").asText().equals("PLAYING") && s.path("packets").asLong() > 0);
            String id = session.path("id").asText();
            assertEquals("RTP/AVP", session.path("transport").asText());
            assertTrue(session.path("bytes").asLong() > 0, session.toString());
            assertTrue(session.path("client").asText().startsWith("127.0.0.1:"), session.toString());

            HttpResponse<String> one = web.get("/api/sessions/" + id);
            assertEquals(200, one.statusCode(), WebRuntime.show(one));

            HttpResponse<String> transports = web.get("/api/transports");
            JsonNode udp = find(WebRuntime.parse(transports), t -> t.path("profile").asText().equals("RTP/AVP"));
            assertEquals("org.tributary.transport.udp", udp.path("bundle").asText());
            assertTrue(udp.path("sessions").asInt() >= 1, udp.toString());

            HttpResponse<String> metrics = web.get("/metrics");
            assertTrue(metrics.body().contains("tributary_session_sent_bytes_total{session=\"" + id
                    + "\",stream=\"demo\",transport=\"RTP/AVP\"} "), metrics.body());
            assertTrue(metrics.body().matches("(?s).*tributary_stream_viewers\\{stream=\"demo\"} [1-9].*"),
                    metrics.body());
            assertTrue(metrics.body().matches("(?s).*tributary_stream_frames_delivered_total\\{stream=\"demo\"} [1-9].*"),
                    metrics.body());
            assertTrue(metrics.body().contains("tributary_stream_frames_late_total{stream=\"demo\"} "), metrics.body());

            HttpResponse<String> kicked = web.delete("/api/sessions/" + id);
            assertEquals(204, kicked.statusCode(), WebRuntime.show(kicked));
            await(() -> !web.get("/api/sessions").body().contains(id), "the kicked session is gone");
            assertProblem(404, web.delete("/api/sessions/" + id), id);
            assertProblem(404, web.get("/api/sessions/" + id), id);
        } finally {
            ffmpeg.destroyForcibly().waitFor();
        }
    }

    @Test
    void metricsAreInThePrometheusTextFormat() throws Exception {
        HttpResponse<String> r = web.get("/metrics");
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        assertEquals("text/plain; version=0.0.4; charset=utf-8",
                r.headers().firstValue("Content-Type").orElse("").replace("UTF-8", "utf-8"));
        for (String line : r.body().split("\n")) {
            assertTrue(line.startsWith("# HELP tributary_") || line.startsWith("# TYPE tributary_")
                    || line.matches("tributary_[a-z_]+(\\{([a-z]+=\"[^\"]*\",?)+})? -?\\d+"), "a sample line: " + line);
        }
        assertTrue(r.body().contains("tributary_up{component=\"streams\"} 1"), r.body());
        assertTrue(r.body().contains("tributary_stream_state{state=\"RUNNING\",stream=\"demo\"} 1"), r.body());
    }

    @Test
    void pushSendsRtpToTheGivenPortAsASessionWithAnSdp() throws Exception {
        assertProblem(400, web.json("POST", "/api/streams/demo/push", "{\"host\":\"127.0.0.1\",\"port\":0}"), "port");
        assertProblem(404, web.json("POST", "/api/streams/no-such-stream/push",
                "{\"host\":\"127.0.0.1\",\"port\":5004}"), "no-such-stream");
        assertProblem(415, web.send("POST", "/api/streams/demo/push", "text/plain", "127.0.0.1:5004"), "json");
        try (DatagramSocket receiver = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            receiver.setSoTimeout(5000);
            int port = receiver.getLocalPort();
            HttpResponse<String> r = web.json("POST", "/api/streams/demo/push",
                    "{\"host\":\"127.0.0.1\",\"port\":" + port + "}");
            assertEquals(201, r.statusCode(), WebRuntime.show(r));
            JsonNode push = WebRuntime.parse(r);
            String id = push.path("session").path("id").asText();
            try {
                assertTrue(push.path("sdp").asText().contains("m=video " + port), push.toString());
                DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
                receiver.receive(packet);
                assertEquals(2, (packet.getData()[0] & 0xff) >> 6, "RTP version 2");
                assertEquals(26, packet.getData()[1] & 0x7f, "JPEG payload type");
                JsonNode listed = awaitSession(s -> s.path("id").asText().equals(id));
                assertEquals("RTP/AVP", listed.path("transport").asText());
                HttpResponse<String> sdp = web.get("/api/sessions/" + id + "/sdp");
                assertEquals(200, sdp.statusCode(), WebRuntime.show(sdp));
                assertTrue(sdp.headers().firstValue("Content-Type").orElse("").startsWith("application/sdp"));
            } finally {
                assertEquals(204, web.delete("/api/sessions/" + id).statusCode());
            }
        }
    }

    // --- previews

    @Test
    void theMjpegPreviewIsTheStreamsJpegFramesAndCountsAsAViewerWhileOpen() throws Exception {
        int before = runtime.streams().get("demo").orElseThrow().viewers();
        HttpResponse<InputStream> r = web.client().send(HttpRequest.newBuilder(web.uri("/api/streams/demo/preview"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            assertEquals(200, r.statusCode());
            assertEquals("multipart/x-mixed-replace; boundary=tributary-frame",
                    r.headers().firstValue("Content-Type").orElse(""));
            List<byte[]> jpegs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                jpegs.add(part(in));
            }
            for (byte[] jpeg : jpegs) {
                assertTrue((jpeg[0] & 0xff) == 0xFF && (jpeg[1] & 0xff) == 0xD8, "starts with SOI");
                assertTrue((jpeg[jpeg.length - 2] & 0xff) == 0xFF && (jpeg[jpeg.length - 1] & 0xff) == 0xD9,
                        "ends with EOI");
                assertEquals(320, Media.decode(jpeg).getWidth());
            }
            assertFalse(java.util.Arrays.equals(jpegs.get(0), jpegs.get(2)), "frames change over time");
            assertTrue(runtime.streams().get("demo").orElseThrow().viewers() > before, "the preview is a viewer");
        }
        await(() -> runtime.streams().get("demo").orElseThrow().viewers() == before,
                "the preview's playback closes when the client goes");
    }

    @Test
    void aStillIsAJpegFrameOfARunningJpegStreamAndACardOtherwise() throws Exception {
        HttpResponse<byte[]> jpeg = web.client().send(HttpRequest.newBuilder(web.uri("/api/streams/demo/still"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, jpeg.statusCode());
        assertEquals("image/jpeg", jpeg.headers().firstValue("Content-Type").orElse(""));
        assertEquals(240, Media.decode(jpeg.body()).getHeight());
        try {
            web.json("POST", "/api/streams/demo/stop", null);
            HttpResponse<String> card = web.get("/api/streams/demo/still");
            assertEquals(200, card.statusCode());
            assertTrue(card.headers().firstValue("Content-Type").orElse("").startsWith("image/svg+xml"));
            assertTrue(card.body().contains("STOPPED") && card.body().contains("demo"), card.body());
        } finally {
            web.json("POST", "/api/streams/demo/start", null);
        }
        assertProblem(404, web.get("/api/streams/no-such-stream/still"), "no-such-stream");
    }

    // --- bundles and features

    @Test
    void aBundleIsInstalledFromAUrlAndAnUploadStartedStoppedUpdatedAndUninstalled(@TempDir Path dir)
            throws Exception {
        Path jar = probeBundle(dir, "org.tributary.it.restprobe");
        HttpResponse<String> installed = web.json("POST", "/api/bundles",
                "{\"location\":\"" + jar.toUri() + "\"}");
        assertEquals(201, installed.statusCode(), WebRuntime.show(installed));
        long id = WebRuntime.parse(installed).path("id").asLong();
        try {
            assertEquals("ACTIVE", WebRuntime.parse(installed).path("state").asText());
            assertEquals("/api/bundles/" + id, installed.headers().firstValue("Location").orElse(""));
            assertEquals("RESOLVED", state(web.json("POST", "/api/bundles/" + id + "/stop", null)));
            assertEquals("ACTIVE", state(web.json("POST", "/api/bundles/" + id + "/start", null)));
            assertEquals("ACTIVE", state(web.json("POST", "/api/bundles/" + id + "/update", null)));
            assertEquals("org.tributary.it.restprobe", WebRuntime.parse(web.get("/api/bundles/" + id))
                    .path("symbolicName").asText());
            Path copy = Files.copy(jar, dir.resolve("copy.jar"));
            assertProblem(409, web.json("POST", "/api/bundles", "{\"location\":\"" + copy.toUri() + "\"}"),
                    "cannot be installed");
        } finally {
            assertEquals(204, web.delete("/api/bundles/" + id).statusCode());
        }
        assertProblem(404, web.get("/api/bundles/" + id), Long.toString(id));
        assertTrue(Frameworks.bundles(runtime.context(), "org.tributary.it.restprobe").isEmpty());

        byte[] bytes = Files.readAllBytes(probeBundle(dir, "org.tributary.it.restupload"));
        String boundary = "tributary-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jar\"; filename=\"upload.jar\"\r\n"
                + "Content-Type: application/java-archive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        body.write(bytes);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> uploaded = web.send(HttpRequest.newBuilder(web.uri("/api/bundles"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        assertEquals(201, uploaded.statusCode(), WebRuntime.show(uploaded));
        JsonNode up = WebRuntime.parse(uploaded);
        assertEquals("org.tributary.it.restupload", up.path("symbolicName").asText());
        assertEquals("ACTIVE", up.path("state").asText());
        assertEquals(204, web.delete("/api/bundles/" + up.path("id").asLong()).statusCode());

        HttpResponse<String> raw = web.send(HttpRequest.newBuilder(web.uri("/api/bundles"))
                .header("Content-Type", "application/java-archive").POST(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        assertEquals(201, raw.statusCode(), WebRuntime.show(raw));
        assertEquals(204, web.delete("/api/bundles/" + WebRuntime.parse(raw).path("id").asLong()).statusCode());
    }

    @Test
    void bundleManagementRefusesBadInputTheFrameworkItselfAndEveryoneWhenOff() throws Exception {
        HttpResponse<String> list = web.get("/api/bundles");
        assertEquals(200, list.statusCode());
        JsonNode rest = find(WebRuntime.parse(list), b -> b.path("symbolicName").asText().equals("org.tributary.rest"));
        assertEquals("ACTIVE", rest.path("state").asText());
        assertProblem(404, web.get("/api/bundles/999999"), "999999");
        assertProblem(404, web.get("/api/bundles/abc"), "abc");
        assertProblem(400, web.json("POST", "/api/bundles", "{\"location\":\"ftp://example.invalid/x.jar\"}"), "http");
        assertProblem(400, web.json("POST", "/api/bundles", "{\"location\":\"file:/no/such/bundle.jar\"}"), "installed");
        assertProblem(409, web.json("POST", "/api/bundles/0/stop", null), "framework");
        assertProblem(409, web.delete("/api/bundles/" + rest.path("id").asLong()), "shell");

        try {
            TributaryRuntime.configure(runtime.context(), "org.tributary.rest", Map.of("bundleManagement", "off"));
            await(() -> web.json("POST", "/api/bundles/0/start", null).statusCode() == 403,
                    "bundle management off answers 403");
            assertProblem(403, web.json("POST", "/api/features/core/install", null), "bundleManagement");
            assertEquals(200, web.get("/api/bundles").statusCode(), "listing stays open");
        } finally {
            TributaryRuntime.configure(runtime.context(), "org.tributary.rest", Map.of("bundleManagement", "loopback"));
            await(() -> web.json("POST", "/api/bundles/0/stop", null).statusCode() == 409, "management is back");
        }
    }

    @Test
    void featuresAreListedAndAnUnknownOneIs404() throws Exception {
        boolean present = !Frameworks.bundles(runtime.context(), "org.tributary.features").isEmpty();
        Bundle installer = runtime.install("org.tributary.features");
        try {
            JsonNode features = awaitJson("/api/features", f -> f.isArray() && f.size() > 0);
            JsonNode core = find(features, f -> f.path("name").asText().equals("core"));
            assertTrue(core.path("bundles").size() > 0, core.toString());
            assertProblem(404, web.json("POST", "/api/features/no-such-feature/install", null), "no-such-feature");
        } finally {
            if (!present) {
                installer.uninstall();
                Frameworks.refresh(runtime.context());
            }
        }
        if (!present) {
            assertProblem(503, web.get("/api/features"), "org.tributary.features");
        }
    }

    // --- health, the document, the bundle itself

    @Test
    void healthIsUpWhileTheCoreRuns() throws Exception {
        HttpResponse<String> r = web.get("/api/health");
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        JsonNode health = WebRuntime.parse(r);
        assertEquals("UP", health.path("streams").asText());
        assertEquals("UP", health.path("rtsp").asText());
        assertTrue(health.path("running").asInt() >= 1, health.toString());
    }

    @Test
    void everyPathTheOpenApiDocumentNamesAnswersAsItSays() throws Exception {
        HttpResponse<String> r = web.get("/api/openapi.json");
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        JsonNode doc = WebRuntime.parse(r);
        assertEquals("3.0.3", doc.path("openapi").asText());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                String target = concrete(path.getKey(), method);
                int status = status(method, target);
                checked++;
                if (!op.getValue().path("responses").has(Integer.toString(status))) {
                    List<String> documented = new ArrayList<>();
                    op.getValue().path("responses").fieldNames().forEachRemaining(documented::add);
                    failures.add(method + " " + target + " answered " + status + ", not one of " + documented);
                }
            }
        }
        assertTrue(checked >= 30, "operations checked: " + checked);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    @Test
    void theRestBundleStopsAndStartsWithoutTouchingTheStreams() throws Exception {
        Bundle rest = web.restBundle();
        try {
            rest.stop();
            assertEquals(404, web.get("/api/health").statusCode(), "nothing answers the API");
            assertEquals(StreamState.RUNNING, runtime.streams().get("demo").orElseThrow().state());
            Processes.Result played = ffprobe("demo");
            assertTrue(played.ok(), played.output());
        } finally {
            rest.start();
        }
        web.awaitApi(PATIENCE);
    }

    // --- helpers

    /** A documented path with its parameters filled: real where a GET reads, unknown where a change would act. */
    private static String concrete(String path, String method) {
        boolean read = method.equals("GET");
        if (path.startsWith("/api/bundles/")) {
            return path.replace("{id}", read ? "0" : "999999");
        }
        if (path.startsWith("/api/features/")) {
            return path.replace("{name}", "no-such-feature");
        }
        return path.replace("{name}", read && !path.endsWith("/preview") ? "demo" : "no-such-stream")
                .replace("{id}", "no-such-session");
    }

    private static int status(String method, String target) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(web.uri(target)).timeout(Duration.ofSeconds(30));
        b.method(method, HttpRequest.BodyPublishers.noBody());
        HttpResponse<InputStream> r = web.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            String start = new String(in.readNBytes(200), StandardCharsets.UTF_8);
            if (start.contains("no resource at")) {
                return -1;
            }
        }
        return r.statusCode();
    }

    private static JsonNode assertProblem(int status, HttpResponse<String> r, String detailMentions) throws IOException {
        assertEquals(status, r.statusCode(), WebRuntime.show(r));
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""), WebRuntime.show(r));
        JsonNode problem = WebRuntime.parse(r);
        assertEquals(status, problem.path("status").asInt(), r.body());
        String detail = problem.path("detail").asText();
        assertFalse(detail.isBlank(), r.body());
        assertFalse(detail.contains("Exception") || detail.contains("\tat "), "no stack trace: " + detail);
        if (detailMentions != null) {
            assertTrue(detail.toLowerCase(java.util.Locale.ROOT).contains(detailMentions.toLowerCase(java.util.Locale.ROOT)),
                    "the detail mentions '" + detailMentions + "': " + detail);
        }
        return problem;
    }

    private static JsonNode find(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (test.test(n)) {
                return n;
            }
        }
        throw new AssertionError("none matches in " + array);
    }

    private static JsonNode awaitJson(String path, Predicate<JsonNode> test) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = web.get(path);
            last = WebRuntime.show(r);
            if (r.statusCode() == 200) {
                JsonNode n = WebRuntime.parse(r);
                if (test.test(n)) {
                    return n;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not as expected within " + PATIENCE + ": " + last);
    }

    private static JsonNode awaitSession(Predicate<JsonNode> test) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = web.get("/api/sessions");
            last = r.body();
            if (r.statusCode() == 200) {
                for (JsonNode s : WebRuntime.parse(r)) {
                    if (test.test(s)) {
                        return s;
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such session within " + PATIENCE + ": " + last);
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!check.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }

    private static String state(HttpResponse<String> r) throws IOException {
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        return WebRuntime.parse(r).path("state").asText();
    }

    /** The next part of a multipart/x-mixed-replace body: its Content-Length bytes. */
    private static byte[] part(InputStream in) throws IOException {
        int length = -1;
        String line;
        while (!(line = line(in)).isEmpty() || length < 0) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] data = in.readNBytes(length);
        assertEquals("", line(in), "CRLF after the part");
        return data;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("the body ended");
            }
            if (c != '\r') {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String clip() {
        return Media.directory(runtime.context()).resolve("movie.Mjpeg").toString().replace("\\", "\\\\");
    }

    private static Processes.Result ffprobe(String stream) throws Exception {
        return Processes.run(CLIENT_TIMEOUT, "ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-select_streams",
                "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", runtime.url(stream));
    }

    private static int storedConfigurations(String name) throws Exception {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> t = new ServiceTracker<>(runtime.context(),
                ConfigurationAdmin.class, null);
        t.open();
        try {
            Configuration[] found = t.waitForService(10_000).listConfigurations(
                    "(&(service.factoryPid=org.tributary.source.file)(name=" + name + "))");
            return found == null ? 0 : found.length;
        } finally {
            t.close();
        }
    }

    /** A bundle with nothing in it but its manifest: always installable, depends on nothing. */
    static Path probeBundle(Path dir, String symbolicName) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        Path jar = dir.resolve(symbolicName + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }
}
