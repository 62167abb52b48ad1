package org.tributary.api;

/** Why a stream of frames ended; tells a frontend what to tell its client. */
public enum EndReason {
    /** The media ended (a file played to its end without looping). */
    END_OF_MEDIA,
    /** Someone stopped it: the viewer, an operator, or the stream was stopped. */
    STOPPED,
    /** The source left: its bundle stopped or its configuration was removed. */
    SOURCE_GONE,
    /** The source failed (unreadable file, device error); the detail says what happened. */
    FAILED
}
