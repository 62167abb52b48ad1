package org.tributary.transport.udp.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.Transport;
import org.tributary.api.TransportException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.unix.Errors;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * RTP over UDP unicast ({@code RTP/AVP}): every delivery sends from one shared pair of server sockets, RTP
 * on an even port P and RTCP on P+1, to the ports the client named in {@code client_port}.
 *
 * <p>Unless {@code bindAddress} names one address, the sockets are dual-stack (IPv6 with IPv4-mapped addresses)
 * where the system has IPv6, so they reach IPv4 and IPv6 clients alike; a client's address counts the same in
 * its IPv4 and IPv4-mapped forms. Bound to one address, the transport refuses clients of the other family
 * with a message saying so.
 *
 * <p>RTCP arriving on P+1 is handed to the delivery whose client address and RTCP port sent it, and RTP
 * arriving on P (the media of a client that publishes) to the delivery whose client address and RTP port sent
 * it ({@link DeliveryListener#onData}); datagrams from anyone else are dropped. Data only ever goes to the
 * address of the peer that asked for it: a {@code destination} parameter naming another host is ignored rather
 * than refused, so a client behind NAT that names its private address still receives at the address the server
 * sees.
 *
 * <p>One event loop thread ({@code tributary-udp-*}, daemon) does all socket I/O, on epoll where available
 * (frames leave in one {@code sendmmsg}, or as one UDP GSO send when the packets allow), else on NIO.
 * Thread-safe. {@link #close()} (the bundle stopping) closes every open delivery, telling its listener, and
 * releases the sockets and the thread.
 */
@Component(service = Transport.class, configurationPid = UdpTransport.PID,
        property = Transport.PROFILE + "=" + UdpTransport.PROFILE)
@Designate(ocd = UdpTransportConfig.class)
public final class UdpTransport implements Transport, AutoCloseable {

    /** The configuration PID. */
    public static final String PID = "org.tributary.transport.udp";

    /** The transport specification this transport answers, whatever variant the client spelled. */
    static final String PROFILE = "RTP/AVP";

    /** Told to each delivery's listener when the transport stops under it. */
    static final String STOPPED_REASON = "UDP transport stopped";

    private static final Logger LOG = LoggerFactory.getLogger(UdpTransport.class);

    /** Linux EIO: the kernel's answer to a GSO send on a device without checksum offload. */
    private static final int EIO = 5;

    private static final int FREE_PAIR_ATTEMPTS = 64;

    private final UdpSettings settings;
    private final EventLoopThreads threads = new EventLoopThreads();
    private final EventLoopGroup group;
    private final boolean epoll;
    private final Channel rtpChannel;
    private final Channel rtcpChannel;
    private final int rtpPort;
    private final String serverPorts;
    private final ConcurrentMap<InetSocketAddress, UdpDelivery> routes = new ConcurrentHashMap<>();
    private final ConcurrentMap<InetSocketAddress, UdpDelivery> dataRoutes = new ConcurrentHashMap<>();
    private final Set<UdpDelivery> deliveries = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private volatile boolean gso;
    private volatile boolean closed;

    /** Activated by Declarative Services with the configuration {@value #PID}. */
    @Activate
    public UdpTransport(UdpTransportConfig config) {
        this(UdpSettings.of(config));
    }

    /**
     * Binds the socket pair and starts the event loop.
     *
     * @throws IllegalStateException if a port cannot be bound; the message names it and what to do
     */
    public UdpTransport(UdpSettings settings) {
        this.settings = settings;
        this.epoll = settings.epoll() && Epoll.isAvailable();
        this.group = epoll ? new EpollEventLoopGroup(1, threads) : new NioEventLoopGroup(1, threads);
        try {
            Channel[] pair = bindPair();
            this.rtpChannel = pair[0];
            this.rtcpChannel = pair[1];
        } catch (RuntimeException e) {
            shutDownEventLoop();
            throw e;
        }
        this.rtpPort = ((InetSocketAddress) rtpChannel.localAddress()).getPort();
        this.gso = epoll && settings.gso() && SegmentedDatagramPacket.isSupported();
        String source = settings.bindAddress() == null ? "" : ";source=" + Addresses.literal(settings.bindAddress());
        this.serverPorts = ";server_port=" + rtpPort + "-" + (rtpPort + 1) + source;
        LOG.info("UDP transport: RTP on port {}, RTCP on {}, {}, {}", rtpPort, rtpPort + 1,
                settings.describeBindAddress(), epoll ? (gso ? "epoll with UDP GSO" : "epoll") : "NIO");
        if (settings.epoll() && !epoll) {
            LOG.debug("epoll unavailable, using NIO", Epoll.unavailabilityCause());
        }
    }

    @Override
    public Delivery open(DeliveryRequest request) throws TransportException {
        Map<String, String> parameters = request.parameters();
        if (parameters.containsKey("multicast")) {
            throw new TransportException("multicast is not offered by the UDP transport; ask for unicast");
        }
        String clientPort = parameters.get("client_port");
        if (clientPort == null) {
            throw new TransportException("client_port missing in the Transport header: an RTP/AVP client must name the"
                    + " ports it receives RTP and RTCP on, e.g. client_port=5000-5001");
        }
        ClientPorts ports = ClientPorts.parse(clientPort);
        InetAddress client = request.peer().getAddress();
        if (client == null) {
            throw new TransportException("the client's address " + request.peer() + " is unresolved");
        }
        client = Addresses.canonical(client);
        InetAddress bound = settings.bindAddress();
        if (bound != null && !Addresses.sameFamily(bound, client)) {
            throw new TransportException("the UDP transport is bound to " + Addresses.literal(bound) + " (bindAddress in"
                    + " configuration " + PID + ") and cannot send to " + (client instanceof Inet4Address ? "IPv4" : "IPv6")
                    + " client " + Addresses.literal(client) + "; play over TCP (RTP/AVP/TCP), or leave bindAddress empty"
                    + " for all interfaces");
        }
        String destination = parameters.get("destination");
        if (destination != null && !destination.isBlank() && LOG.isDebugEnabled()) {
            LOG.debug("ignoring destination={} from {}: RTP goes only to the address that asked for it",
                    destination.trim(), client.getHostAddress());
        }
        return openTo(new InetSocketAddress(client, ports.rtp()), new InetSocketAddress(client, ports.rtcp()),
                PROFILE + ";unicast;client_port=" + ports + serverPorts, request.listener());
    }

    /**
     * Opens a delivery to any address, without checking who asked: the base of {@link #open} and of pushing a
     * stream to a configured host. RTCP from {@code rtcpTarget} and RTP from {@code rtpTarget} reach
     * {@code listener}.
     *
     * @param transportHeader what {@link Delivery#transportHeader()} returns
     * @throws TransportException if the transport is full or stopping
     */
    public UdpDelivery openTo(InetSocketAddress rtpTarget, InetSocketAddress rtcpTarget, String transportHeader,
            DeliveryListener listener) throws TransportException {
        if (closed) {
            throw new TransportException("the UDP transport is stopping");
        }
        if (open.incrementAndGet() > settings.maxDeliveries()) {
            open.decrementAndGet();
            throw new TransportException("the UDP transport is full: " + settings.maxDeliveries()
                    + " deliveries open (maxDeliveries in configuration " + PID + ")");
        }
        rtpTarget = Addresses.canonical(rtpTarget);
        rtcpTarget = Addresses.canonical(rtcpTarget);
        UdpDelivery delivery = new UdpDelivery(this, rtpChannel, rtcpChannel, rtpTarget, rtcpTarget, transportHeader,
                listener);
        deliveries.add(delivery);
        // The newest delivery wins the route: a client that sets up again on the same ports gets its RTCP
        // on the new delivery even before the old one is closed.
        routes.put(rtcpTarget, delivery);
        dataRoutes.put(rtpTarget, delivery);
        if (closed) {
            delivery.close();
            throw new TransportException("the UDP transport is stopping");
        }
        return delivery;
    }

    /** Called once by a delivery when it closes. */
    void closed(UdpDelivery delivery) {
        routes.remove(delivery.rtcpTarget(), delivery);
        dataRoutes.remove(delivery.rtpTarget(), delivery);
        if (deliveries.remove(delivery)) {
            open.decrementAndGet();
        }
    }

    /** Whether deliveries may send frames as one UDP GSO send. */
    boolean gso() {
        return gso;
    }

    /** The port RTP is sent from; RTCP uses the next one. */
    public int rtpPort() {
        return rtpPort;
    }

    /** Whether the sockets run on epoll rather than NIO. */
    public boolean usesEpoll() {
        return epoll;
    }

    /** The number of open deliveries. */
    public int openDeliveries() {
        return open.get();
    }

    /** The event loop's threads, for tests and measurements. */
    List<Thread> threads() {
        return threads.started;
    }

    /** The RTP channel, for tests that need to hold up its event loop. */
    Channel rtpChannel() {
        return rtpChannel;
    }

    /**
     * Stops the transport: every open delivery is closed and its listener told {@value #STOPPED_REASON}, then
     * the sockets close and the event loop thread ends. Idempotent.
     */
    @Deactivate
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (UdpDelivery delivery : deliveries) {
            if (delivery.closeQuietly()) {
                delivery.tellClosed(STOPPED_REASON);
            }
        }
        rtpChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        rtcpChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        shutDownEventLoop();
        LOG.info("UDP transport stopped, ports {}-{} released", rtpPort, rtpPort + 1);
    }

    private void shutDownEventLoop() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        threads.join(TimeUnit.SECONDS.toMillis(2));
    }

    private Channel[] bindPair() {
        Bootstrap rtp = bootstrap(new RtpRouter());
        Bootstrap rtcp = bootstrap(new RtcpRouter());
        if (settings.rtpPort() != 0) {
            Channel rtpChannel = bind(rtp, settings.rtpPort(), "RTP");
            try {
                return new Channel[] {rtpChannel, bind(rtcp, settings.rtpPort() + 1, "RTCP")};
            } catch (RuntimeException e) {
                rtpChannel.close().awaitUninterruptibly();
                throw e;
            }
        }
        for (int attempt = 0; attempt < FREE_PAIR_ATTEMPTS; attempt++) {
            Channel rtpChannel = bind(rtp, 0, "RTP");
            int port = ((InetSocketAddress) rtpChannel.localAddress()).getPort();
            if (port % 2 == 0 && port < 65535) {
                try {
                    return new Channel[] {rtpChannel, bind(rtcp, port + 1, "RTCP")};
                } catch (IllegalStateException e) {
                    // Someone holds the odd neighbour; another even port will do.
                }
            }
            rtpChannel.close().awaitUninterruptibly();
        }
        throw new IllegalStateException("UDP transport: found no free pair of ports (even RTP, odd RTCP) on "
                + settings.describeBindAddress() + " in " + FREE_PAIR_ATTEMPTS + " attempts; set rtpPort in configuration "
                + PID);
    }

    private Bootstrap bootstrap(ChannelHandler handler) {
        ChannelFactory<DatagramChannel> factory = epoll ? EpollDatagramChannel::new : NioDatagramChannel::new;
        int queue = settings.sendQueueBytes();
        Bootstrap bootstrap = new Bootstrap().group(group).channelFactory(factory)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(queue / 2, queue))
                .handler(handler);
        if (settings.socketBufferBytes() > 0) {
            bootstrap.option(ChannelOption.SO_SNDBUF, settings.socketBufferBytes())
                    .option(ChannelOption.SO_RCVBUF, settings.socketBufferBytes());
        }
        return bootstrap;
    }

    private Channel bind(Bootstrap bootstrap, int port, String what) {
        InetSocketAddress address = settings.bindAddress() == null ? new InetSocketAddress(port)
                : new InetSocketAddress(settings.bindAddress(), port);
        try {
            return bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            String role = what.equals("RTP") ? "rtpPort" : "rtpPort + 1";
            throw new IllegalStateException("UDP transport: cannot bind the " + what + " port " + port + " on "
                    + settings.describeBindAddress() + " (" + e.getMessage() + "). Stop the program using it, or set "
                    + "rtpPort in configuration " + PID + " to another even port (" + what + " uses " + role
                    + "), or 0 for any free pair", e);
        }
    }

    private void writeFailed(Throwable cause) {
        if (gso && cause instanceof Errors.NativeIoException nativeError && nativeError.expectedErr() == -EIO) {
            gso = false;
            LOG.warn("UDP transport on port {}: the kernel refused a UDP GSO send ({}); sending packet by packet from"
                    + " now on", rtpPort, cause.getMessage());
        } else {
            // Per packet and per client: never above DEBUG.
            LOG.debug("UDP transport on port {}: send failed", rtpPort, cause);
        }
    }

    /** Hands RTCP from known clients to their delivery; drops everything else. */
    @Sharable
    private final class RtcpRouter extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DatagramPacket packet) {
                    UdpDelivery delivery = routes.get(Addresses.canonical(packet.sender()));
                    if (delivery != null) {
                        delivery.controlReceived(packet.content().nioBuffer());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            writeFailed(cause);
        }
    }

    /**
     * Hands RTP from known clients to their delivery: a publisher's media. A viewer's NAT punching reaches its
     * listener too, which ignores it; datagrams from anyone else are dropped.
     */
    @Sharable
    private final class RtpRouter extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof DatagramPacket packet) {
                    UdpDelivery delivery = dataRoutes.get(Addresses.canonical(packet.sender()));
                    if (delivery != null) {
                        delivery.dataReceived(packet.content().nioBuffer());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            writeFailed(cause);
        }
    }

    /** Names the event loop thread and remembers it, so closing can wait until it is gone. */
    private static final class EventLoopThreads implements ThreadFactory {

        private final ThreadFactory names = new DefaultThreadFactory("tributary-udp", true);
        final List<Thread> started = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = names.newThread(task);
            started.add(thread);
            return thread;
        }

        void join(long millis) {
            long deadline = System.currentTimeMillis() + millis;
            for (Thread thread : started) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    thread.join(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
