package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The workflow of the simple camera-streaming clients written for a small Flask control API in front of a
 * GStreamer RTSP server, against Tributary: ask {@code /request_stream_client} for the RTSP URL, play it, stop
 * and start the stream with {@code POST /control}, read the state with {@code GET /control}. Same requests,
 * same answers' shapes and status codes as the original.
 */
class SeedClientCompatibilityTest {

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

    static WebRuntime web;
    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        web = WebRuntime.get();
        runtime = web.runtime();
    }

    @Test
    void theUrlFromRequestStreamClientPlaysStopMakesItUnplayableAndStartBringsItBack() throws Exception {
        // The clients send their own id, typically their address: they get the default stream's URL.
        HttpResponse<String> asked = web.get("/request_stream_client?streamer_id=192.168.2.65");
        assertEquals(200, asked.statusCode(), WebRuntime.show(asked));
        String url = WebRuntime.parse(asked).path("rtsp_url").asText();
        assertEquals(runtime.url("demo"), url);
        assertPlays(url);
        try {
            HttpResponse<String> stopped = web.json("POST", "/control", "{\"action\": \"stop\"}");
            assertEquals(200, stopped.statusCode(), WebRuntime.show(stopped));
            assertEquals("Stream stopped successfully!", WebRuntime.parse(stopped).path("message").asText());

            JsonNode state = WebRuntime.parse(web.get("/control"));
            assertFalse(state.path("running").asBoolean(), state.toString());
            assertEquals("STOPPED", state.path("state").asText());

            Processes.Result refused = ffprobe(url);
            assertFalse(refused.ok(), refused.output());
            assertTrue(refused.output().contains("503"), "a clear status for a stopped stream:\n" + refused.output());

            HttpResponse<String> again = web.json("POST", "/control", "{\"action\": \"stop\"}");
            assertEquals(400, again.statusCode(), WebRuntime.show(again));
            assertEquals("Stream is not running!", WebRuntime.parse(again).path("message").asText());
        } finally {
            HttpResponse<String> started = web.json("POST", "/control", "{\"action\": \"start\"}");
            assertEquals(200, started.statusCode(), WebRuntime.show(started));
            assertEquals("Stream started successfully", WebRuntime.parse(started).path("message").asText());
        }
        runtime.awaitRunning("demo", Duration.ofSeconds(60));
        JsonNode state = WebRuntime.parse(web.get("/control"));
        assertTrue(state.path("running").asBoolean(), state.toString());
        assertEquals(url, state.path("rtsp_url").asText());
        assertPlays(url);

        HttpResponse<String> already = web.json("POST", "/control", "{\"action\": \"start\"}");
        assertEquals(400, already.statusCode(), WebRuntime.show(already));
        assertEquals("Stream is already running!", WebRuntime.parse(already).path("message").asText());
    }

    @Test
    void aStreamerIdNamingAStreamGetsThatStreamsUrl() throws Exception {
        HttpResponse<String> r = web.get("/request_stream_client?streamer_id=movie.Mjpeg");
        assertEquals(200, r.statusCode(), WebRuntime.show(r));
        assertEquals(runtime.url("movie.Mjpeg"), WebRuntime.parse(r).path("rtsp_url").asText());
    }

    @Test
    void controlNamesAStreamAndRefusesWhatTheOriginalRefuses() throws Exception {
        HttpResponse<String> named = web.get("/control?stream=movie.Mjpeg");
        assertEquals(200, named.statusCode(), WebRuntime.show(named));
        assertEquals("movie.Mjpeg", WebRuntime.parse(named).path("stream").asText());

        HttpResponse<String> invalid = web.json("POST", "/control", "{\"action\": \"pause\"}");
        assertEquals(400, invalid.statusCode(), WebRuntime.show(invalid));
        assertEquals("invalid action", WebRuntime.parse(invalid).path("error").asText());

        HttpResponse<String> unknown = web.json("POST", "/control", "{\"action\": \"stop\", \"stream\": \"no-such\"}");
        assertEquals(404, unknown.statusCode(), WebRuntime.show(unknown));
        assertTrue(WebRuntime.parse(unknown).path("message").asText().contains("no-such"));

        HttpResponse<String> form = web.send("POST", "/control", "application/x-www-form-urlencoded", "action=stop");
        assertEquals(415, form.statusCode(), WebRuntime.show(form));
        assertTrue(WebRuntime.parse(form).path("message").asText().contains("application/json"));
        assertEquals("RUNNING", runtime.streams().get("demo").orElseThrow().state().name(), "nothing was stopped");
    }

    private static void assertPlays(String url) throws Exception {
        Processes.Result played = ffprobe(url);
        assertTrue(played.ok(), played.output());
        assertEquals("mjpeg,320,240", played.output().strip(), played.output());
    }

    private static Processes.Result ffprobe(String url) throws Exception {
        return Processes.run(CLIENT_TIMEOUT, "ffprobe", "-v", "error", "-rtsp_transport", "udp", "-select_streams",
                "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", url);
    }
}
