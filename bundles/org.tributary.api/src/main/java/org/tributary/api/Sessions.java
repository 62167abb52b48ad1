package org.tributary.api;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The control service of sessions, provided by the RTSP server: the sessions RTSP clients set up, and RTP
 * pushes, which are sessions without RTSP sending a stream's RTP to a given host and port (the classic
 * {@code udpsink host=... port=...} setup). Thread-safe; {@link #list()} and {@link #kick(String)} never
 * block, {@link #push} may block briefly while it opens the stream.
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

    /**
     * Starts sending a stream's RTP to {@code destination} (RTP to its port, RTCP to the port + 1) over the
     * {@code RTP/AVP} transport, until {@link #kick(String)} or the end of the stream. The push is listed as a
     * session of transport {@code RTP/AVP} with the destination as its client.
     *
     * @throws StreamException if the stream is unknown or cannot play now
     * @throws TransportException if no UDP transport is installed or the destination is unusable
     */
    SessionInfo push(String stream, InetSocketAddress destination) throws StreamException, TransportException;

    /**
     * The SDP a receiver of a push needs (players without RTSP read it from a {@code .sdp} file): connection
     * address and port of the destination, payload type, codec parameters. Empty if no push has that id.
     */
    Optional<String> pushDescription(String id);
}
