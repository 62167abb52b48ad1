package org.tributary.api;

/** The states of an RTSP session (RFC 2326 Appendix A). */
public enum SessionState {
    /** Created, no transport set up yet. */
    INIT,
    /** Transport set up, not playing (or paused). */
    READY,
    /** Sending media. */
    PLAYING,
    /**
     * Receiving media from a client that publishes a stream (RTSP {@code RECORD}).
     *
     * @since 1.2
     */
    RECORDING
}
