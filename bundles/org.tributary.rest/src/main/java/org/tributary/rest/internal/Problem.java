package org.tributary.rest.internal;

import java.util.Locale;

import org.tributary.api.StreamException;

/**
 * An answer other than success, written as {@code application/problem+json} (RFC 9457): the status, a title
 * naming the status, and a detail a person can act on. Thrown by request handlers, written by the servlet.
 */
final class Problem extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;
    private String allow;

    Problem(int status, String detail) {
        this(status, detail, null);
    }

    /** A problem with one input field, named in the answer's {@code field} member. */
    Problem(int status, String detail, String field) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
    }

    /** 405: the method is not one of {@code allowed} on this resource. */
    static Problem methodNotAllowed(String method, String... allowed) {
        Problem p = new Problem(405, method + " is not allowed here; use " + String.join(" or ", allowed));
        p.allow = String.join(", ", allowed);
        return p;
    }

    /** The methods a 405 names in its {@code Allow} header, or {@code null}. */
    String allow() {
        return allow;
    }

    int status() {
        return status;
    }

    /** The input field at fault, or {@code null}. */
    String field() {
        return field;
    }

    String title() {
        return title(status);
    }

    static Problem badRequest(String detail) {
        return new Problem(400, detail);
    }

    static Problem notFound(String detail) {
        return new Problem(404, detail);
    }

    /**
     * The status a frontend answers for a stream problem, as {@link StreamException} prescribes: unknown 404,
     * cannot play now 503, exists already 409, unacceptable name or setting 400.
     */
    static Problem of(StreamException e) {
        int status = switch (e.kind()) {
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 503;
            case CONFLICT -> 409;
            case INVALID -> 400;
        };
        String detail = e.getMessage() == null || e.getMessage().isBlank()
                ? e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ') : e.getMessage();
        return new Problem(status, detail, status == 400 ? settingNamed(detail) : null);
    }

    /**
     * The setting a core message names ({@code setting 'frameRate' ...}), so a form can mark the field; the
     * message itself stays the authority and says it in words.
     */
    static String settingNamed(String detail) {
        int at = detail.indexOf("setting '");
        if (at < 0) {
            return null;
        }
        int start = at + "setting '".length();
        int end = detail.indexOf('\'', start);
        return end > start ? detail.substring(start, end) : null;
    }

    static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
