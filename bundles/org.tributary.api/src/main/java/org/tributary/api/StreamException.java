package org.tributary.api;

/**
 * A stream cannot be played or changed. {@link #kind()} tells a frontend which status to answer (RTSP 404
 * or HTTP 404 for {@link Kind#NOT_FOUND}, 503 with the message for {@link Kind#UNAVAILABLE}, HTTP 409 for
 * {@link Kind#CONFLICT}, HTTP 400 for {@link Kind#INVALID}); the message is written for a person.
 */
public class StreamException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No stream has this name. */
        NOT_FOUND,
        /** The stream exists but cannot play now (stopped, failed, its media unreadable). */
        UNAVAILABLE,
        /** A stream of that name exists already. */
        CONFLICT,
        /** A name or setting is not acceptable; the message names it and says why. */
        INVALID
    }

    private final Kind kind;

    public StreamException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public StreamException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
