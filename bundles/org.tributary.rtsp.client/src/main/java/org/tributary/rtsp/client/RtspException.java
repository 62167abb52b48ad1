package org.tributary.rtsp.client;

import java.io.IOException;

/**
 * The server answered a request with an error status (3xx, 4xx or 5xx). The status tells a program what
 * happened (401 credentials missing or wrong, 404 no such stream, 454 session gone, 461 transport
 * refused, 503 server full); the message adds the request for a person.
 */
public class RtspException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String reason;

    public RtspException(int status, String reason) {
        this(status, reason, status + " " + reason);
    }

    /**
     * @param message for a person: the request and, where there is one, what to do about it
     */
    public RtspException(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    /** The status code, e.g. 404. */
    public int status() {
        return status;
    }

    /** The reason phrase as the server sent it, e.g. {@code Not Found}. */
    public String reason() {
        return reason;
    }
}
