package org.tributary.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The control service of sessions, provided by the RTSP server. Thread-safe; never blocks.
 */
@ProviderType
public interface Sessions {

    /** Every open session, oldest first. */
    List<SessionInfo> list();

    /**
     * Ends a session as if it timed out: the client gets RTCP BYE and its resources are freed.
     *
     * @return {@code false} if no session has that id
     */
    boolean kick(String id);
}
