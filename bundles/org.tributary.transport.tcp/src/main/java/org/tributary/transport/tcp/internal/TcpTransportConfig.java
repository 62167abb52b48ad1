package org.tributary.transport.tcp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the TCP transport (PID {@value TcpTransport#PID}). Changing it restarts the transport,
 * which ends the sessions using it.
 */
@ObjectClassDefinition(name = "Tributary TCP transport",
        description = "RTP and RTCP interleaved in the client's RTSP connection (RTP/AVP/TCP). How many bytes may"
                + " wait for a slow client, and when a stalled one is dropped, are settings of the RTSP server.")
public @interface TcpTransportConfig {

    @AttributeDefinition(name = "Maximum deliveries",
            description = "Open deliveries (one per client and track) beyond which a SETUP is refused.", min = "1")
    int maxDeliveries() default 1000;
}
