package org.tributary.viewer;

/** Where a {@link PlayerController} is. */
public enum PlayerState {
    /** Nothing open: before the first {@link PlayerController#open}, after {@link PlayerController#stop()}. */
    IDLE,
    /** Connecting, describing and setting up a stream. */
    CONNECTING,
    /** Receiving and showing pictures. */
    PLAYING,
    /** The server holds the stream; the session stays open. */
    PAUSED,
    /** The server ended the stream (RTCP BYE); the session is closed. */
    ENDED,
    /** Opening failed, or the connection was lost; the message says why. */
    FAILED,
    /** {@link PlayerController#close()} was called; nothing more happens. */
    CLOSED
}
