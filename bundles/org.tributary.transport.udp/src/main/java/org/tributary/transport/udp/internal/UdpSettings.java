package org.tributary.transport.udp.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The validated settings of a {@link UdpTransport}: what {@link UdpTransportConfig} says, in types the code
 * uses, and constructible without OSGi.
 *
 * @param bindAddress local address of both sockets; {@code null} for all interfaces
 * @param rtpPort even port for RTP, RTCP on the next; 0 picks any free pair
 * @param maxDeliveries open deliveries beyond which {@link UdpTransport#open} refuses
 * @param sendQueueBytes bytes that may wait for the RTP socket before frames are dropped
 * @param socketBufferBytes SO_SNDBUF and SO_RCVBUF to ask for; 0 keeps the system default
 * @param epoll whether to use epoll where available
 * @param gso whether to use UDP GSO where available (epoll only)
 */
public record UdpSettings(InetAddress bindAddress, int rtpPort, int maxDeliveries, int sendQueueBytes,
        int socketBufferBytes, boolean epoll, boolean gso) {

    public UdpSettings {
        if (rtpPort < 0 || rtpPort > 65534 || rtpPort % 2 != 0) {
            throw new IllegalArgumentException("rtpPort " + rtpPort + " in configuration " + UdpTransport.PID
                    + " must be an even port from 2 to 65534 (RTCP uses the next one), or 0 for any free pair");
        }
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries " + maxDeliveries + " in configuration "
                    + UdpTransport.PID + " must be at least 1");
        }
        if (sendQueueBytes < 1) {
            throw new IllegalArgumentException("sendQueueBytes " + sendQueueBytes + " in configuration "
                    + UdpTransport.PID + " must be positive");
        }
        if (socketBufferBytes < 0) {
            throw new IllegalArgumentException("socketBufferBytes " + socketBufferBytes + " in configuration "
                    + UdpTransport.PID + " must be 0 (system default) or positive");
        }
    }

    /** The defaults of {@link UdpTransportConfig} on the given address and port. */
    public static UdpSettings defaults(InetAddress bindAddress, int rtpPort) {
        return new UdpSettings(bindAddress, rtpPort, 1000, 16 * 1024 * 1024, 1024 * 1024, true, true);
    }

    /** Reads and checks a configuration; an unusable value fails with a message naming it. */
    public static UdpSettings of(UdpTransportConfig config) {
        String address = config.bindAddress() == null ? "" : config.bindAddress().trim();
        InetAddress bind = null;
        if (!address.isEmpty()) {
            try {
                bind = InetAddress.getByName(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress '" + address + "' in configuration " + UdpTransport.PID
                        + " is not a known address; give an address of this machine or leave it empty for all interfaces",
                        e);
            }
            if (bind.isAnyLocalAddress()) {
                bind = null;
            }
        }
        return new UdpSettings(bind, config.rtpPort(), config.maxDeliveries(), config.sendQueueBytes(),
                config.socketBufferBytes(), config.epoll(), config.gso());
    }

    /** The bind address for people: the address, or "all interfaces". */
    String describeBindAddress() {
        return bindAddress == null ? "all interfaces" : bindAddress.getHostAddress();
    }
}
