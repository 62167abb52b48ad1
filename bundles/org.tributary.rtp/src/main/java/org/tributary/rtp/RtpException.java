package org.tributary.rtp;

/**
 * Bytes or frames that RTP code cannot handle: a frame a payload format cannot carry, a malformed RTCP or
 * SDP text. The message says what was wrong and, where there is one, what to do about it.
 */
public final class RtpException extends Exception {

    private static final long serialVersionUID = 1L;

    public RtpException(String message) {
        super(message);
    }

    public RtpException(String message, Throwable cause) {
        super(message, cause);
    }
}
