package org.tributary.rest.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.tributary.api.DeliveryStats;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.StreamStatistics;
import org.tributary.api.Streams;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /metrics} in the Prometheus text format (0.0.4): what the API services tell, nothing invented. Streams:
 * state, viewers, and the core's counters (frames delivered, frames late, clock restarts), which start at 0 when
 * a stream is mounted. Sessions: how many per stream and transport, and each open session's counters (RTP packets
 * and bytes sent, frames dropped because the client could not keep up) as counters labelled by session, which
 * start at 0 with the session and leave with it.
 */
final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient Backends backends;

    MetricsServlet(Backends backends) {
        this.backends = backends;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        new Exchange(request, response).text(200, CONTENT_TYPE, render(backends.streamsOrNull(),
                backends.sessionsOrNull()));
    }

    static String render(Streams streams, Sessions sessions) {
        StringBuilder out = new StringBuilder(4096);
        help(out, "tributary_up", "gauge", "Whether the stream core (1) and the RTSP server (component label) run");
        sample(out, "tributary_up", Map.of("component", "streams"), streams == null ? 0 : 1);
        sample(out, "tributary_up", Map.of("component", "rtsp"), sessions == null ? 0 : 1);
        List<StreamInfo> all = streams == null ? List.of() : streams.list();
        help(out, "tributary_stream_viewers", "gauge", "Open playbacks of a stream (RTSP sessions, pushes, previews)");
        for (StreamInfo s : all) {
            sample(out, "tributary_stream_viewers", Map.of("stream", s.name()), s.viewers());
        }
        help(out, "tributary_stream_state", "gauge", "1 for the state a stream is in");
        for (StreamInfo s : all) {
            for (StreamState state : StreamState.values()) {
                sample(out, "tributary_stream_state", Map.of("stream", s.name(), "state", state.name()),
                        s.state() == state ? 1 : 0);
            }
        }
        Map<String, StreamStatistics> counted = new TreeMap<>();
        for (StreamInfo s : all) {
            streams.statistics(s.name()).ifPresent(c -> counted.put(s.name(), c));
        }
        help(out, "tributary_stream_frames_delivered_total", "counter",
                "Frames handed to the viewers of a stream (a live frame counts once per viewer)");
        for (Map.Entry<String, StreamStatistics> e : counted.entrySet()) {
            sample(out, "tributary_stream_frames_delivered_total", Map.of("stream", e.getKey()),
                    e.getValue().framesDelivered());
        }
        help(out, "tributary_stream_frames_late_total", "counter",
                "Frames of an on-demand stream delivered after their presentation time");
        for (Map.Entry<String, StreamStatistics> e : counted.entrySet()) {
            sample(out, "tributary_stream_frames_late_total", Map.of("stream", e.getKey()), e.getValue().framesLate());
        }
        help(out, "tributary_stream_clock_restarts_total", "counter",
                "Times a playback fell more than a second behind and restarted its clock instead of bursting");
        for (Map.Entry<String, StreamStatistics> e : counted.entrySet()) {
            sample(out, "tributary_stream_clock_restarts_total", Map.of("stream", e.getKey()),
                    e.getValue().clockRestarts());
        }
        List<SessionInfo> open = sessions == null ? List.of() : sessions.list();
        Map<List<String>, Integer> perStream = new TreeMap<>((a, b) -> (a.get(0) + "\n" + a.get(1))
                .compareTo(b.get(0) + "\n" + b.get(1)));
        for (SessionInfo s : open) {
            perStream.merge(List.of(String.valueOf(s.stream()), String.valueOf(s.transport())), 1, Integer::sum);
        }
        help(out, "tributary_sessions", "gauge", "Open sessions by stream and transport");
        for (Map.Entry<List<String>, Integer> e : perStream.entrySet()) {
            sample(out, "tributary_sessions", Map.of("stream", e.getKey().get(0), "transport", e.getKey().get(1)),
                    e.getValue());
        }
        help(out, "tributary_session_sent_packets_total", "counter", "RTP packets sent to an open session");
        for (SessionInfo s : open) {
            sample(out, "tributary_session_sent_packets_total", labels(s), stats(s).packets());
        }
        help(out, "tributary_session_sent_bytes_total", "counter", "RTP bytes (headers and payload) sent to an open session");
        for (SessionInfo s : open) {
            sample(out, "tributary_session_sent_bytes_total", labels(s), stats(s).bytes());
        }
        help(out, "tributary_session_dropped_frames_total", "counter",
                "Frames dropped for an open session because its client could not keep up");
        for (SessionInfo s : open) {
            sample(out, "tributary_session_dropped_frames_total", labels(s), stats(s).droppedFrames());
        }
        return out.toString();
    }

    private static DeliveryStats stats(SessionInfo s) {
        return s.stats() == null ? DeliveryStats.NONE : s.stats();
    }

    private static Map<String, String> labels(SessionInfo s) {
        return Map.of("session", s.id(), "stream", String.valueOf(s.stream()), "transport",
                String.valueOf(s.transport()));
    }

    private static void help(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, Map<String, String> labels, long value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
