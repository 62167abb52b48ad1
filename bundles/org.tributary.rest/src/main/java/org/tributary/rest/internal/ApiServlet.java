package org.tributary.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.tributary.api.FeatureException;
import org.tributary.api.FeatureInfo;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.api.SourceType;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;
import org.tributary.api.Transport;
import org.tributary.api.TransportException;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The REST resources under {@code /api}: streams, sessions, transports, source types, bundles, features, health
 * and the OpenAPI document. Every change goes through the API services or the framework; this class only reads
 * requests and writes answers. Thread-safe: it keeps no state of its own.
 */
final class ApiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());

    /** What may follow a stream's name: POST actions and GET views. */
    private static final Set<String> STREAM_ACTIONS = Set.of("start", "stop", "push");
    private static final Set<String> STREAM_VIEWS = Set.of("preview", "still");

    private final transient Backends backends;
    private final transient Previews previews;
    private final transient BundleResources bundles;

    ApiServlet(Backends backends, Previews previews) {
        this.backends = backends;
        this.previews = previews;
        this.bundles = new BundleResources(backends);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Exchange x = new Exchange(request, response);
        try {
            route(x);
        } catch (Problem p) {
            if (!response.isCommitted()) {
                x.problem(p);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "REST " + x.method + " " + request.getRequestURI() + " failed", e);
            if (!response.isCommitted()) {
                x.problem(new Problem(500, "the server failed: " + (e.getMessage() == null
                        ? e.getClass().getSimpleName() : e.getMessage()) + "; see the server log"));
            }
        }
    }

    private void route(Exchange x) throws Problem, IOException {
        List<String> p = x.path;
        if (p.isEmpty()) {
            get(x);
            x.json(200, Map.of("openapi", "/api/openapi.json", "streams", "/api/streams", "sessions", "/api/sessions",
                    "transports", "/api/transports", "sourceTypes", "/api/source-types", "bundles", "/api/bundles",
                    "features", "/api/features", "health", "/api/health", "metrics", "/metrics"));
            return;
        }
        switch (p.get(0)) {
            case "openapi.json" -> openApi(x);
            case "health" -> health(x);
            case "streams" -> streams(x);
            case "sessions" -> sessions(x);
            case "transports" -> {
                only(x, p.size() == 1);
                get(x);
                transports(x);
            }
            case "source-types" -> {
                only(x, p.size() == 1);
                get(x);
                x.json(200, backends.streams().sourceTypes());
            }
            case "bundles" -> bundles.handle(x);
            case "features" -> features(x);
            default -> throw notFound(x);
        }
    }

    // --- streams

    private void streams(Exchange x) throws Problem, IOException {
        List<String> p = x.path;
        if (p.size() == 1) {
            switch (x.method) {
                case "GET" -> x.json(200, backends.streams().list().stream().map(s -> view(x, s)).toList());
                case "POST" -> create(x);
                default -> throw Problem.methodNotAllowed(x.method, "GET", "POST");
            }
            return;
        }
        Streams streams = backends.streams();
        String whole = x.rest(1, p.size());
        String last = p.get(p.size() - 1);
        // A name may contain slashes, so a trailing word is an action only when the whole path names no stream.
        boolean isStream = streams.get(whole).isPresent();
        if (p.size() > 2 && x.method.equals("POST") && STREAM_ACTIONS.contains(last)) {
            streamAction(x, streams, x.rest(1, p.size() - 1), last);
        } else if (p.size() > 2 && !isStream && x.method.equals("GET") && STREAM_VIEWS.contains(last)) {
            String name = x.rest(1, p.size() - 1);
            if (last.equals("preview")) {
                previews.mjpeg(x, streams, name);
            } else {
                previews.still(x, streams, name);
            }
        } else if (p.size() > 2 && !isStream && (STREAM_ACTIONS.contains(last) || STREAM_VIEWS.contains(last))
                && streams.get(x.rest(1, p.size() - 1)).isPresent()) {
            // The path names an action or view of a stream, with the wrong method.
            throw STREAM_ACTIONS.contains(last) ? Problem.methodNotAllowed(x.method, "POST")
                    : Problem.methodNotAllowed(x.method, "GET");
        } else {
            switch (x.method) {
                case "GET" -> {
                    StreamInfo stream = streams.get(whole).orElseThrow(() -> unknownStream(whole));
                    x.json(200, Views.stream(stream, backends.rtspUrl(x.request.getServerName(), stream.name()),
                            streams.settings(whole).orElse(null)));
                }
                case "PATCH", "PUT" -> update(x, streams, whole);
                case "DELETE" -> {
                    try {
                        streams.delete(whole);
                    } catch (StreamException e) {
                        throw Problem.of(e);
                    }
                    x.noContent();
                }
                default -> throw Problem.methodNotAllowed(x.method, "GET", "PATCH", "DELETE");
            }
        }
    }

    private void create(Exchange x) throws Problem, IOException {
        JsonNode body = x.json();
        String name = Exchange.requiredText(body, "name");
        String type = Exchange.requiredText(body, "type");
        Map<String, Object> settings = JsonSettings.of(body.get("settings"));
        Streams streams = backends.streams();
        StreamInfo created;
        try {
            created = streams.create(name, type, settings);
        } catch (StreamException e) {
            if (e.kind() == StreamException.Kind.NOT_FOUND) {
                // The only thing create looks up is the type: a field of this request, not a missing resource.
                throw new Problem(400, e.getMessage(), "type");
            }
            throw Problem.of(e);
        }
        x.response.setHeader("Location", "/api/streams/" + pathOf(created.name()));
        x.json(201, view(x, created));
    }

    private void update(Exchange x, Streams streams, String name) throws Problem, IOException {
        if (streams.get(name).isEmpty()) {
            throw unknownStream(name);
        }
        JsonNode body = x.json();
        JsonNode settings = body.has("settings") ? body.get("settings") : null;
        if (settings == null) {
            throw new Problem(400, "send the settings to change as {\"settings\": {\"name\": value, ...}}; "
                    + "null resets one to its default", "settings");
        }
        try {
            x.json(200, view(x, streams.update(name, JsonSettings.of(settings))));
        } catch (StreamException e) {
            throw Problem.of(e);
        }
    }

    private void streamAction(Exchange x, Streams streams, String name, String action) throws Problem, IOException {
        try {
            switch (action) {
                case "start" -> x.json(200, view(x, streams.start(name)));
                case "stop" -> x.json(200, view(x, streams.stop(name)));
                default -> push(x, streams, name);
            }
        } catch (StreamException e) {
            throw Problem.of(e);
        }
    }

    private void push(Exchange x, Streams streams, String name) throws Problem, IOException, StreamException {
        if (streams.get(name).isEmpty()) {
            throw unknownStream(name);
        }
        JsonNode body = x.json();
        String host = Exchange.requiredText(body, "host");
        JsonNode portNode = body.get("port");
        if (portNode == null || !portNode.canConvertToInt() || !portNode.isIntegralNumber()
                || portNode.intValue() < 1 || portNode.intValue() > 65535) {
            throw new Problem(400, "'port' must be a whole number from 1 to 65535 (RTP goes to it, RTCP to the "
                    + "next)", "port");
        }
        Sessions sessions = backends.sessions();
        InetSocketAddress destination = new InetSocketAddress(host, portNode.intValue());
        if (destination.isUnresolved()) {
            throw new Problem(400, "host '" + host + "' is not an address and no name server knows it", "host");
        }
        SessionInfo pushed;
        try {
            pushed = sessions.push(name, destination);
        } catch (TransportException e) {
            boolean udp = backends.transports().stream().anyMatch(r -> profiles(r).contains("RTP/AVP"));
            throw new Problem(udp ? 400 : 503, udp ? e.getMessage() : "no RTP/AVP (UDP) transport is installed "
                    + "(bundle org.tributary.transport.udp): " + e.getMessage());
        }
        x.response.setHeader("Location", "/api/sessions/" + pushed.id());
        x.json(201, new Views.Push(Views.session(pushed), sessions.pushDescription(pushed.id()).orElse(null)));
    }

    private Views.Stream view(Exchange x, StreamInfo s) {
        return Views.stream(s, backends.rtspUrl(x.request.getServerName(), s.name()));
    }

    private static Problem unknownStream(String name) {
        return Problem.notFound("no stream named '" + name + "'; GET /api/streams lists them");
    }

    static String pathOf(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("%2F", "/").replace("+", "%20");
    }

    // --- sessions and transports

    private void sessions(Exchange x) throws Problem, IOException {
        List<String> p = x.path;
        Sessions sessions = backends.sessions();
        if (p.size() == 1) {
            get(x);
            x.json(200, sessions.list().stream().map(Views::session).toList());
            return;
        }
        String id = p.get(1);
        if (p.size() == 3 && p.get(2).equals("sdp")) {
            get(x);
            String sdp = sessions.pushDescription(id).orElseThrow(() -> Problem.notFound("no push has session id '"
                    + id + "'; only pushes have an SDP of their own"));
            x.text(200, "application/sdp", sdp);
            return;
        }
        only(x, p.size() == 2);
        switch (x.method) {
            case "GET" -> x.json(200, Views.session(find(sessions, id)));
            case "DELETE" -> {
                if (!sessions.kick(find(sessions, id).id())) {
                    throw unknownSession(id);
                }
                x.noContent();
            }
            default -> throw Problem.methodNotAllowed(x.method, "GET", "DELETE");
        }
    }

    /**
     * The session of that id, or of the one id that starts with it when it has at least {@value #SHORT_ID}
     * characters (as Gogo's {@code sessions} shows them).
     */
    static SessionInfo find(Sessions sessions, String id) throws Problem {
        List<SessionInfo> all = sessions.list();
        Optional<SessionInfo> exact = all.stream().filter(s -> s.id().equals(id)).findFirst();
        if (exact.isPresent()) {
            return exact.get();
        }
        List<SessionInfo> starting = id.length() < SHORT_ID ? List.of()
                : all.stream().filter(s -> s.id().startsWith(id)).toList();
        if (starting.size() > 1) {
            throw new Problem(409, "'" + id + "' starts " + starting.size() + " session ids; give more of it "
                    + "(GET /api/sessions lists them)");
        }
        return starting.stream().findFirst().orElseThrow(() -> unknownSession(id));
    }

    /** The shortest start of a session id that names a session: what Gogo's {@code sessions} shows at least. */
    static final int SHORT_ID = 8;

    private static Problem unknownSession(String id) {
        return Problem.notFound("no session with id '" + id + "'; it may have ended (GET /api/sessions lists them)");
    }

    private void transports(Exchange x) throws IOException {
        Sessions sessions = backends.sessionsOrNull();
        Map<String, Integer> inUse = new TreeMap<>();
        if (sessions != null) {
            for (SessionInfo s : sessions.list()) {
                inUse.merge(String.valueOf(s.transport()), 1, Integer::sum);
            }
        }
        List<Views.Transport> out = new ArrayList<>();
        for (ServiceReference<Transport> ref : backends.transports()) {
            Bundle bundle = ref.getBundle();
            // A reference whose service went away since the listing has no bundle.
            if (bundle != null) {
                for (String profile : profiles(ref)) {
                    out.add(new Views.Transport(profile, bundle.getSymbolicName(),
                            sessions == null ? null : inUse.getOrDefault(profile, 0)));
                }
            }
        }
        out.sort((a, b) -> a.profile().compareTo(b.profile()));
        x.json(200, out);
    }

    private static List<String> profiles(ServiceReference<?> ref) {
        Object value = ref.getProperty(Transport.PROFILE);
        if (value instanceof String[] several) {
            return List.of(several);
        }
        return value == null ? List.of() : List.of(value.toString());
    }

    // --- features

    private void features(Exchange x) throws Problem, IOException {
        List<String> p = x.path;
        if (p.size() == 1) {
            get(x);
            x.json(200, backends.features().list());
            return;
        }
        only(x, p.size() == 3 && (p.get(2).equals("install") || p.get(2).equals("uninstall")));
        if (!x.method.equals("POST")) {
            throw Problem.methodNotAllowed(x.method, "POST");
        }
        BundleResources.requireManagement(x, backends.config());
        String name = p.get(1);
        var features = backends.features();
        Optional<FeatureInfo> known = features.list().stream()
                .filter(f -> f.name().equals(name) || f.id().equals(name)).findFirst();
        if (known.isEmpty()) {
            throw Problem.notFound("no feature named '" + name + "'; GET /api/features lists them");
        }
        try {
            FeatureInfo done = p.get(2).equals("install") ? features.install(name) : features.uninstall(name);
            x.json(200, done);
        } catch (FeatureException e) {
            throw new Problem(409, e.getMessage());
        }
    }

    // --- health and the document

    private void health(Exchange x) throws Problem, IOException {
        only(x, x.path.size() == 1);
        get(x);
        Streams streams = backends.streamsOrNull();
        Sessions sessions = backends.sessionsOrNull();
        List<String> problems = new ArrayList<>();
        List<Views.FailedStream> failedStreams = new ArrayList<>();
        int running = 0;
        int failed = 0;
        int stopped = 0;
        if (streams == null) {
            problems.add(Backends.STREAMS_ABSENT);
        } else {
            for (StreamInfo s : streams.list()) {
                if (s.state() == StreamState.RUNNING) {
                    running++;
                } else if (s.state() == StreamState.FAILED) {
                    failed++;
                    problems.add("stream '" + s.name() + "' failed: " + s.reason());
                    failedStreams.add(new Views.FailedStream(s.name(), s.reason()));
                } else if (s.state() == StreamState.STOPPED) {
                    stopped++;
                }
            }
        }
        if (sessions == null) {
            problems.add(Backends.SESSIONS_ABSENT);
        }
        String status = streams == null ? "DOWN" : problems.isEmpty() ? "UP" : "DEGRADED";
        x.json(streams == null ? 503 : 200, new Views.Health(status, streams == null ? "DOWN" : "UP",
                sessions == null ? "DOWN" : "UP", running, failed, stopped, problems, failedStreams));
    }

    private void openApi(Exchange x) throws Problem, IOException {
        only(x, x.path.size() == 1);
        get(x);
        try (InputStream in = ApiServlet.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new Problem(500, "the OpenAPI document is missing from bundle org.tributary.rest");
            }
            x.send(200, "application/json", in.readAllBytes());
        }
    }

    // --- helpers

    private static void get(Exchange x) throws Problem {
        if (!x.method.equals("GET") && !x.method.equals("HEAD")) {
            throw Problem.methodNotAllowed(x.method, "GET");
        }
    }

    private static void only(Exchange x, boolean matches) throws Problem {
        if (!matches) {
            throw notFound(x);
        }
    }

    static Problem notFound(Exchange x) {
        return Problem.notFound("no resource at " + x.request.getRequestURI() + "; /api/openapi.json lists them");
    }
}
