package org.tributary.api;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A snapshot of one session. Immutable.
 *
 * @param id the session id as its client knows it
 * @param client the client's address
 * @param stream the stream's name
 * @param transport the transport profile (e.g. {@code RTP/AVP})
 * @param state the session's state now
 * @param started when the session was created
 * @param stats counters of its delivery
 */
public record SessionInfo(String id, InetSocketAddress client, String stream, String transport, SessionState state,
        Instant started, DeliveryStats stats) {
}
