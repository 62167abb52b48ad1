package org.tributary.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.annotation.JsonInclude;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * One HTTP request and its response as the handlers see them: the path below the servlet as segments, the
 * JSON body, and the JSON, text and problem answers. Not thread-safe; one per request.
 */
final class Exchange {

    /** The JSON mapper: records and maps as they are, absent values left out. Thread-safe once configured. */
    static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    static final String PROBLEM_JSON = "application/problem+json";

    /** Largest JSON body read; a control request is a few hundred bytes. */
    static final int MAX_JSON_BYTES = 1 << 20;

    final HttpServletRequest request;
    final HttpServletResponse response;
    final String method;
    final List<String> path;

    Exchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
        this.method = request.getMethod().toUpperCase(Locale.ROOT);
        String info = request.getPathInfo();
        this.path = info == null || info.equals("/") ? List.of()
                : List.of(info.substring(info.startsWith("/") ? 1 : 0).split("/", -1));
    }

    /** The path segments from {@code from} on, joined by {@code /}: a stream name may contain slashes. */
    String rest(int from, int toExclusive) {
        return String.join("/", path.subList(from, toExclusive));
    }

    boolean fromLoopback() {
        try {
            // The remote address is a literal, so this never asks a name server.
            return InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    String mediaType() {
        String type = request.getContentType();
        if (type == null) {
            return "";
        }
        int semi = type.indexOf(';');
        return (semi < 0 ? type : type.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    boolean hasBody() {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** The body as a JSON object; 415 for another content type, 400 for anything but one JSON object. */
    JsonNode json() throws Problem, IOException {
        String type = mediaType();
        if (!type.equals("application/json") && !type.endsWith("+json")) {
            throw new Problem(415, "send the body as application/json" + (type.isEmpty() ? ""
                    : ", not " + type));
        }
        byte[] body = readBody(MAX_JSON_BYTES);
        if (body.length == 0) {
            throw Problem.badRequest("the body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw Problem.badRequest("the body is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw Problem.badRequest("the body must be a JSON object, not " + (node == null ? "nothing"
                    : node.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return node;
    }

    /** The body, or 413 past {@code max} bytes. */
    byte[] readBody(long max) throws Problem, IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw new Problem(413, "the body has " + declared + " bytes; at most " + max + " are accepted");
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (body.length > max) {
                throw new Problem(413, "the body has more than " + max + " bytes; at most " + max
                        + " are accepted");
            }
            return body;
        }
    }

    /** A text member of the body; {@code null} when absent, 400 when not text. */
    static String text(JsonNode body, String field) throws Problem {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new Problem(400, "'" + field + "' must be text, not " + node.getNodeType().name()
                    .toLowerCase(Locale.ROOT), field);
        }
        return node.asText();
    }

    static String requiredText(JsonNode body, String field) throws Problem {
        String value = text(body, field);
        if (value == null || value.isBlank()) {
            throw new Problem(400, "'" + field + "' is required", field);
        }
        return value;
    }

    void json(int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        send(status, "application/json", bytes);
    }

    void text(int status, String contentType, String body) throws IOException {
        send(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    void noContent() {
        response.setStatus(204);
    }

    void send(int status, String contentType, byte[] bytes) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(bytes.length);
        try (OutputStream out = response.getOutputStream()) {
            out.write(bytes);
        }
    }

    void problem(Problem p) throws IOException {
        problem(p, Map.of());
    }

    /**
     * Writes {@code p} as {@code application/problem+json} with extension members after the standard ones (for
     * clients that read older member names, such as {@code message}).
     */
    void problem(Problem p, Map<String, Object> extensions) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.getMessage());
        if (p.field() != null) {
            body.put("field", p.field());
        }
        body.put("instance", request.getRequestURI());
        extensions.forEach(body::putIfAbsent);
        if (p.allow() != null) {
            response.setHeader("Allow", p.allow());
        }
        send(p.status(), PROBLEM_JSON, JSON.writeValueAsBytes(body));
    }
}
