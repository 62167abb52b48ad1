package org.tributary.transport.tcp.internal;

import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.InterleavedConnection;
import org.tributary.api.Transport;
import org.tributary.api.TransportException;

/**
 * RTP and RTCP interleaved in the client's RTSP connection ({@code RTP/AVP/TCP}, RFC 2326 §10.12): each
 * delivery writes {@code $}-framed packets through the {@link InterleavedConnection} the server hands over,
 * on the pair of channels the client named in {@code interleaved=a-b}, or on a free pair the connection
 * offers when it named none.
 *
 * <p>The connection belongs to the RTSP server: it frames, queues and bounds what waits for the client, and
 * a client that stops reading is the server's to drop. This transport owns no socket and no thread; it keeps
 * which channels its open deliveries hold on each connection, so two tracks never share one.
 *
 * <p>Thread-safe. {@link #close()} (the bundle stopping) closes every open delivery and tells its listener.
 */
@Component(service = Transport.class, configurationPid = TcpTransport.PID,
        property = Transport.PROFILE + "=" + TcpTransport.PROFILE)
@Designate(ocd = TcpTransportConfig.class)
public final class TcpTransport implements Transport, AutoCloseable {

    /** The configuration PID. */
    public static final String PID = "org.tributary.transport.tcp";

    /** The transport specification this transport answers. */
    static final String PROFILE = "RTP/AVP/TCP";

    /** Told to each delivery's listener when the transport stops under it. */
    static final String STOPPED_REASON = "TCP transport stopped";

    private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

    private final TcpSettings settings;
    private final Set<TcpDelivery> deliveries = ConcurrentHashMap.newKeySet();
    private final ConcurrentMap<InterleavedConnection, BitSet> channelsInUse = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    /** Activated by Declarative Services with the configuration {@value #PID}. */
    @Activate
    public TcpTransport(TcpTransportConfig config) {
        this(TcpSettings.of(config));
    }

    public TcpTransport(TcpSettings settings) {
        this.settings = settings;
        LOG.info("TCP transport: RTP/AVP/TCP interleaved in RTSP connections, at most {} deliveries",
                settings.maxDeliveries());
    }

    @Override
    public Delivery open(DeliveryRequest request) throws TransportException {
        InterleavedConnection connection = request.connection();
        if (connection == null) {
            throw new TransportException("interleaved transport needs the RTSP connection");
        }
        if (closed) {
            throw new TransportException("the TCP transport is stopping");
        }
        if (open.incrementAndGet() > settings.maxDeliveries()) {
            open.decrementAndGet();
            throw new TransportException("the TCP transport is full: " + settings.maxDeliveries()
                    + " deliveries open (maxDeliveries in configuration " + PID + ")");
        }
        ChannelPair channels;
        try {
            channels = claim(connection, request.parameters().get("interleaved"));
        } catch (TransportException | RuntimeException e) {
            open.decrementAndGet();
            throw e;
        }
        TcpDelivery delivery = new TcpDelivery(this, connection, channels, request.listener());
        deliveries.add(delivery);
        connection.receive(channels.rtcp(), delivery::controlReceived);
        connection.receive(channels.rtp(), delivery::dataReceived);
        if (closed) {
            delivery.close();
            throw new TransportException("the TCP transport is stopping");
        }
        return delivery;
    }

    /** The channels a new delivery uses, held for it on the connection until it closes. */
    private ChannelPair claim(InterleavedConnection connection, String interleaved) throws TransportException {
        if (interleaved != null) {
            ChannelPair asked = ChannelPair.parse(interleaved);
            if (!hold(connection, asked)) {
                throw new TransportException("interleaved=" + asked + " is in use by another track on this RTSP"
                        + " connection; ask for other channels, or leave interleaved out and the server picks a free pair");
            }
            return asked;
        }
        int[] free = connection.freeChannelPair();
        if (free.length < 2) {
            throw new TransportException("no free interleaved channel pair is left on this RTSP connection; end a"
                    + " session on it or open another connection");
        }
        ChannelPair offered = new ChannelPair(free[0], free[1]);
        if (!hold(connection, offered)) {
            throw new TransportException("interleaved channels " + offered + ", offered as free by the RTSP"
                    + " connection, are in use by another track on it; name a free pair with interleaved=a-b");
        }
        return offered;
    }

    private boolean hold(InterleavedConnection connection, ChannelPair channels) {
        boolean[] held = new boolean[1];
        channelsInUse.compute(connection, (c, used) -> {
            BitSet inUse = used == null ? new BitSet(ChannelPair.MAX_CHANNEL + 1) : used;
            if (!inUse.get(channels.rtp()) && !inUse.get(channels.rtcp())) {
                inUse.set(channels.rtp());
                inUse.set(channels.rtcp());
                held[0] = true;
            }
            return inUse.isEmpty() ? null : inUse;
        });
        return held[0];
    }

    /** Called once by a delivery when it closes. */
    void closed(TcpDelivery delivery) {
        if (deliveries.remove(delivery)) {
            ChannelPair channels = delivery.channels();
            channelsInUse.computeIfPresent(delivery.connection(), (c, inUse) -> {
                inUse.clear(channels.rtp());
                inUse.clear(channels.rtcp());
                return inUse.isEmpty() ? null : inUse;
            });
            open.decrementAndGet();
        }
    }

    /** The number of open deliveries. */
    public int openDeliveries() {
        return open.get();
    }

    /** The number of connections on which open deliveries hold channels. */
    int connectionsInUse() {
        return channelsInUse.size();
    }

    /**
     * Stops the transport: every open delivery is closed and its listener told {@value #STOPPED_REASON}.
     * The connections stay open; they are the server's. Idempotent.
     */
    @Deactivate
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int ended = 0;
        for (TcpDelivery delivery : deliveries) {
            if (delivery.closeQuietly()) {
                delivery.tellClosed(STOPPED_REASON);
                ended++;
            }
        }
        LOG.info("TCP transport stopped, {} deliveries ended", ended);
    }
}
