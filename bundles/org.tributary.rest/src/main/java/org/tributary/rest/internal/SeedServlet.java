package org.tributary.rest.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The two calls simple camera-streaming clients already make of the small Flask control API they were written
 * for, with its answers' shapes and status codes, so they work unchanged against Tributary:
 * <ul>
 * <li>{@code GET /request_stream_client?streamer_id=ID} answers {@code {"rtsp_url": URL}}. Those clients send
 * their own id (often their address), so an ID naming a stream gets that stream's URL and any other ID the
 * default stream's.</li>
 * <li>{@code POST /control} with {@code {"action": "start" | "stop"}} starts or stops a stream (the one named by
 * an optional {@code "stream"}, else the default), answering {@code {"message": ...}}: 200 when done, 400 when it
 * already was (as the original does), 400 {@code {"error": "invalid action"}} for another action.
 * {@code GET /control} tells whether the stream runs.</li>
 * </ul>
 * These answers are plain {@code application/json} with {@code message}, not problem documents: the clients read
 * {@code message}.
 */
final class SeedServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Backends backends;

    SeedServlet(Backends backends) {
        this.backends = backends;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Exchange x = new Exchange(request, response);
        String path = request.getServletPath();
        Streams streams = backends.streamsOrNull();
        if (streams == null) {
            fail(x, new Problem(503, Backends.STREAMS_ABSENT), Map.of());
            return;
        }
        if (path.equals("/request_stream_client")) {
            if (!x.method.equals("GET")) {
                methodNotAllowed(x, "GET");
                return;
            }
            requestStreamClient(x, streams);
        } else if (x.method.equals("GET")) {
            controlState(x, streams, request.getParameter("stream"));
        } else if (x.method.equals("POST")) {
            control(x, streams);
        } else {
            methodNotAllowed(x, "GET", "POST");
        }
    }

    private void requestStreamClient(Exchange x, Streams streams) throws IOException {
        String id = x.request.getParameter("streamer_id");
        String name = id != null && streams.get(id).isPresent() ? id : backends.config().defaultStream();
        if (streams.get(name).isEmpty()) {
            fail(x, Problem.notFound("no stream named '" + name + "'; set defaultStream in configuration "
                    + RestComponent.PID + " or ask with streamer_id=<stream name>"), Map.of());
            return;
        }
        x.json(200, Map.of("rtsp_url", backends.rtspUrl(x.request.getServerName(), name)));
    }

    private void controlState(Exchange x, Streams streams, String named) throws IOException {
        String name = named == null || named.isBlank() ? backends.config().defaultStream() : named;
        Optional<StreamInfo> stream = streams.get(name);
        if (stream.isEmpty()) {
            fail(x, unknown(name), Map.of());
            return;
        }
        x.json(200, state(x, stream.get()));
    }

    private void control(Exchange x, Streams streams) throws IOException {
        JsonNode body;
        String name;
        try {
            body = x.json();
            String named = Exchange.text(body, "stream");
            name = named == null || named.isBlank() ? backends.config().defaultStream() : named;
        } catch (Problem p) {
            fail(x, p, Map.of());
            return;
        }
        JsonNode actionNode = body.get("action");
        String action = actionNode == null || !actionNode.isTextual() ? "" : actionNode.asText();
        if (!action.equals("start") && !action.equals("stop")) {
            fail(x, new Problem(400, "'action' must be \"start\" or \"stop\", not " + (actionNode == null ? "missing"
                    : actionNode.toString()), "action"), Map.of("error", "invalid action"));
            return;
        }
        Optional<StreamInfo> before = streams.get(name);
        if (before.isEmpty()) {
            fail(x, unknown(name), Map.of());
            return;
        }
        boolean running = running(before.get());
        try {
            if (action.equals("stop")) {
                if (before.get().state() == StreamState.STOPPED) {
                    fail(x, new Problem(400, "stream '" + name + "' is stopped already"),
                            message(x, "Stream is not running!", before.get()));
                    return;
                }
                x.json(200, message(x, "Stream stopped successfully!", streams.stop(name)));
            } else {
                if (running) {
                    fail(x, new Problem(400, "stream '" + name + "' is running already"),
                            message(x, "Stream is already running!", before.get()));
                    return;
                }
                x.json(200, message(x, "Stream started successfully", streams.start(name)));
            }
        } catch (StreamException e) {
            fail(x, Problem.of(e), Map.of());
        }
    }

    private static boolean running(StreamInfo s) {
        return s.state() == StreamState.RUNNING || s.state() == StreamState.STARTING;
    }

    private Map<String, Object> message(Exchange x, String message, StreamInfo s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", message);
        out.putAll(state(x, s));
        return out;
    }

    private Map<String, Object> state(Exchange x, StreamInfo s) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream", s.name());
        out.put("running", running(s));
        out.put("state", s.state().name());
        if (!s.reason().isEmpty()) {
            out.put("reason", s.reason());
        }
        out.put("rtsp_url", backends.rtspUrl(x.request.getServerName(), s.name()));
        return out;
    }

    private static void methodNotAllowed(Exchange x, String... allowed) throws IOException {
        fail(x, Problem.methodNotAllowed(x.method, allowed), Map.of());
    }

    private static Problem unknown(String name) {
        return Problem.notFound("no stream named '" + name + "'; GET /api/streams lists them");
    }

    // A problem+json answer that also carries the members the seed clients read: 'message' (the detail unless
    // given) and whatever else they expect.
    private static void fail(Exchange x, Problem p, Map<String, Object> legacy) throws IOException {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("message", p.getMessage());
        extensions.putAll(legacy);
        x.problem(p, extensions);
    }
}
