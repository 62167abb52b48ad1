package org.tributary.api;

/** The life of a stream as the server publishes it. */
public enum StreamState {
    /** Configured but not producing frames; viewers are refused with a reason. */
    STOPPED,
    /** Its source is starting (opening a device or pipeline). */
    STARTING,
    /** Playable. */
    RUNNING,
    /** Its source failed; {@link StreamInfo#reason()} says why. */
    FAILED
}
