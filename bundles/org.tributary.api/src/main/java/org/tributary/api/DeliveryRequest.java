package org.tributary.api;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;

/**
 * What a client asked for in one transport specification of an RTSP {@code Transport} header, as the
 * server read it. The transport interprets the parameters that are its own ({@code client_port},
 * {@code interleaved}, {@code destination}, ...).
 *
 * @param profile the transport specification, e.g. {@code RTP/AVP}, {@code RTP/AVP/TCP}
 * @param parameters the specification's parameters in the client's order, names in lower case, flags
 *        (e.g. {@code unicast}) with an empty value
 * @param peer the client's address as the server sees it (the RTSP connection's remote end)
 * @param connection the RTSP connection, for transports that carry data inside it; {@code null} where
 *        there is none
 * @param listener told about RTCP from the client and the end of the delivery
 */
public record DeliveryRequest(String profile, Map<String, String> parameters, InetSocketAddress peer,
        InterleavedConnection connection, DeliveryListener listener) {

    public DeliveryRequest {
        Objects.requireNonNull(profile, "profile");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(listener, "listener");
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(parameters));
    }
}
