package org.tributary.rtsp.client.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One RTSP response: status line, headers (names case-insensitive, repeated headers kept), body. Immutable. */
public final class RtspResponse {

    private final int status;
    private final String reason;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    RtspResponse(int status, String reason, Map<String, List<String>> headers, byte[] body) {
        this.status = status;
        this.reason = reason;
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        this.headers = copy;
        this.body = body;
    }

    static Map<String, List<String>> newHeaders() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    static void add(Map<String, List<String>> headers, String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    /** The first value of a header, {@code null} when absent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Every value of a header, in order; empty when absent. */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RTSP/1.0 " + status + " " + reason;
    }
}
