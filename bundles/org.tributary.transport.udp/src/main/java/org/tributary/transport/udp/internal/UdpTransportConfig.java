package org.tributary.transport.udp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the UDP transport (PID {@value UdpTransport#PID}). Changing it restarts the transport,
 * which ends the sessions using it.
 */
@ObjectClassDefinition(name = "Tributary UDP transport",
        description = "RTP and RTCP over UDP (RTP/AVP unicast), sent from one pair of server ports shared by all clients.")
public @interface UdpTransportConfig {

    @AttributeDefinition(name = "RTP port",
            description = "Even UDP port RTP is sent from; RTCP uses the next port. 0 picks any free pair.",
            min = "0", max = "65534")
    int rtpPort() default 6970;

    @AttributeDefinition(name = "Bind address",
            description = "Local address of both sockets; empty for all interfaces.")
    String bindAddress() default "";

    @AttributeDefinition(name = "Maximum deliveries",
            description = "Open deliveries (one per client and track) beyond which a SETUP is refused.", min = "1")
    int maxDeliveries() default 1000;

    @AttributeDefinition(name = "Send queue bytes",
            description = "RTP bytes that may wait for the socket, across all clients, before new frames are dropped.",
            min = "65536")
    int sendQueueBytes() default 16 * 1024 * 1024;

    @AttributeDefinition(name = "Socket buffer bytes",
            description = "SO_SNDBUF and SO_RCVBUF asked of the kernel (capped by net.core.wmem_max and rmem_max); 0 keeps the system default.",
            min = "0")
    int socketBufferBytes() default 1024 * 1024;

    @AttributeDefinition(name = "Use epoll",
            description = "Use Linux epoll (batched sendmmsg) where available; false forces the portable NIO transport.")
    boolean epoll() default true;

    @AttributeDefinition(name = "Use UDP GSO",
            description = "With epoll, hand the kernel a whole frame of equal-size packets in one send (UDP segmentation offload) where supported.")
    boolean gso() default true;
}
