package org.tributary.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way to carry RTP and RTCP to one client. Transport bundles register it with the service property
 * {@value #PROFILE} naming the RTSP transport specification it handles (e.g. {@code RTP/AVP} for UDP,
 * {@code RTP/AVP/TCP} for interleaved TCP). Unregistering it closes every {@link Delivery} it made, each
 * reporting {@link DeliveryListener#onClosed(String)}.
 *
 * <p>Thread-safe; {@link #open(DeliveryRequest)} may block briefly (binding a socket) but never on a client.
 */
@ConsumerType
public interface Transport {

    /** Service property: the transport specification handled, e.g. {@code RTP/AVP} or {@code RTP/AVP/TCP}. */
    String PROFILE = "transport.profile";

    /**
     * Opens a delivery to the client that asked with {@code request}. The caller closes it.
     *
     * @throws TransportException if the request's parameters are unusable (missing or bad ports, no
     *         interleaved channel) or no resource is left (no free port); the message says which
     */
    Delivery open(DeliveryRequest request) throws TransportException;
}
