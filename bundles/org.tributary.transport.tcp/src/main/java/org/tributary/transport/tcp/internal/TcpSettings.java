package org.tributary.transport.tcp.internal;

/**
 * The validated settings of a {@link TcpTransport}: what {@link TcpTransportConfig} says, constructible
 * without OSGi.
 *
 * @param maxDeliveries open deliveries beyond which {@link TcpTransport#open} refuses
 */
public record TcpSettings(int maxDeliveries) {

    public TcpSettings {
        if (maxDeliveries < 1) {
            throw new IllegalArgumentException("maxDeliveries " + maxDeliveries + " in configuration "
                    + TcpTransport.PID + " must be at least 1");
        }
    }

    /** The defaults of {@link TcpTransportConfig}. */
    public static TcpSettings defaults() {
        return new TcpSettings(1000);
    }

    /** Reads and checks a configuration; an unusable value fails with a message naming it. */
    public static TcpSettings of(TcpTransportConfig config) {
        return new TcpSettings(config.maxDeliveries());
    }
}
