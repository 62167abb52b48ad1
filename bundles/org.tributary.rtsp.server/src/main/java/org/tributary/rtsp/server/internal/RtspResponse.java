package org.tributary.rtsp.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One RTSP response being built: status, headers in order, optional body. Not thread-safe; built and
 * encoded by the thread handling its request.
 *
 * <p>Two shapes: the standard one (CRLF lines, blank line, {@code Content-Length} with a body) and the
 * classic lab client's ({@code \n} lines, status, CSeq, Session and nothing else, no final line end),
 * which that client parses by line position (PROTOCOL.md §2).
 */
final class RtspResponse {

    private final int status;
    private final String reason;
    private final List<String> names = new ArrayList<>(8);
    private final List<String> values = new ArrayList<>(8);
    private String cseq;
    private byte[] body = new byte[0];
    private boolean lab;
    private boolean closeAfter;
    private Runnable afterWrite;

    RtspResponse(int status) {
        this(status, RtspStatus.reason(status));
    }

    RtspResponse(int status, String reason) {
        this.status = status;
        this.reason = sanitize(reason == null || reason.isBlank() ? RtspStatus.reason(status) : reason, 200);
    }

    int status() {
        return status;
    }

    String reason() {
        return reason;
    }

    /** Sets the CSeq, which goes first after the status line (the lab client reads it from line 2). */
    RtspResponse cseq(String value) {
        this.cseq = value;
        return this;
    }

    /** Adds a header; values are stripped of line breaks so nothing a client or source says can split a reply. */
    RtspResponse header(String name, String value) {
        names.add(name);
        values.add(sanitize(value, 4096));
        return this;
    }

    String header(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    RtspResponse body(String contentType, byte[] content) {
        header("Content-Type", contentType);
        this.body = content;
        return this;
    }

    /** Answers in the classic lab client's shape. */
    RtspResponse lab(boolean lab) {
        this.lab = lab;
        return this;
    }

    boolean isLab() {
        return lab;
    }

    /** Closes the connection once the response is written. */
    RtspResponse closeAfter() {
        this.closeAfter = true;
        return this;
    }

    boolean isCloseAfter() {
        return closeAfter;
    }

    /**
     * Runs {@code action} once the response has been handed to the connection (or the connection has gone),
     * so whatever the action writes reaches the client after the response.
     */
    RtspResponse afterWrite(Runnable action) {
        this.afterWrite = action;
        return this;
    }

    /** The action to run after writing, or {@code null}. */
    Runnable afterWrite() {
        return afterWrite;
    }

    /** The response's bytes in a new buffer from {@code alloc}; the caller owns it. */
    ByteBuf encode(ByteBufAllocator alloc) {
        byte[] head = text().getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(head.length + (lab ? 0 : body.length));
        out.writeBytes(head);
        if (!lab) {
            out.writeBytes(body);
        }
        return out;
    }

    /** The status line and headers as sent. */
    String text() {
        StringBuilder s = new StringBuilder(128);
        s.append("RTSP/1.0 ").append(status).append(' ').append(reason);
        if (lab) {
            String session = valueOr("Session", "0");
            int semicolon = session.indexOf(';');
            s.append('\n').append("CSeq: ").append(cseq == null ? "0" : cseq);
            s.append('\n').append("Session: ").append(semicolon < 0 ? session : session.substring(0, semicolon));
            return s.toString();
        }
        s.append("\r\n");
        if (cseq != null) {
            s.append("CSeq: ").append(cseq).append("\r\n");
        }
        for (int i = 0; i < names.size(); i++) {
            s.append(names.get(i)).append(": ").append(values.get(i)).append("\r\n");
        }
        if (body.length > 0) {
            s.append("Content-Length: ").append(body.length).append("\r\n");
        }
        return s.append("\r\n").toString();
    }

    private String valueOr(String name, String fallback) {
        String value = header(name);
        return value == null ? fallback : value;
    }

    private static String sanitize(String text, int max) {
        StringBuilder s = new StringBuilder(Math.min(text.length(), max));
        for (int i = 0; i < text.length() && s.length() < max; i++) {
            char c = text.charAt(i);
            s.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return s.toString();
    }
}
