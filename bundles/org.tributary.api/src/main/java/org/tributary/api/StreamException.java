package org.tributary.api;

/**
 * A stream cannot be played. {@link #kind()} tells a frontend which status to answer (RTSP 404 for
 * {@link Kind#NOT_FOUND}, 503 with the message for {@link Kind#UNAVAILABLE}); the message is written for
 * a person.
 */
public class StreamException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** No stream has this name. */
        NOT_FOUND,
        /** The stream exists but cannot play now (stopped, failed, its media unreadable). */
        UNAVAILABLE
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
