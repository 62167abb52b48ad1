package org.tributary.api;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A source whose frames exist before anyone plays them (a file). Every viewer reads it through its own
 * {@link FrameReader}, so viewers pause and seek independently.
 */
@ConsumerType
public interface OnDemandSource extends MediaSource {

    /**
     * Opens an independent reader positioned at the first frame. The caller closes it.
     *
     * <p>May block on I/O (e.g. the first open of a file builds its frame index); never call it on a
     * pacing or network thread.
     *
     * @throws IOException if the media cannot be read; the message names the file and what is wrong
     */
    FrameReader open() throws IOException;

    /**
     * Why {@link #open()} would fail now, as far as the source knows from its last attempt to read the media
     * (a missing or unreadable file, a file with no playable frame); empty when it can play or does not know.
     * The stream is listed {@link StreamState#FAILED} with this reason meanwhile. Must not block: a source may
     * look at the file's attributes, never read the media.
     *
     * @since 1.3
     */
    default String problem() {
        return "";
    }
}
