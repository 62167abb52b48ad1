package org.tributary.rtsp.server.internal;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Streams;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The RTSP server on Netty: listens, builds each connection's pipeline ({@link ConnectionLimits},
 * {@link RtspDecoder}, {@link RtspConnection}), and owns every thread it runs: the accept and I/O event
 * loops ({@code tributary-rtsp-accept}, {@code tributary-rtsp-io-N}), the request workers
 * ({@code tributary-rtsp-worker-N}) and one timer for all sessions ({@code tributary-rtsp-timer}).
 * All are daemon threads and stop in {@link #close()}.
 */
final class RtspServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RtspServer.class);

    private final RtspSettings settings;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final SessionRegistry sessions;
    private final RtspService service;
    private final ConnectionLimits limits;
    private final ChannelGroup connections = new DefaultChannelGroup("tributary-rtsp", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptLoop;
    private EventLoopGroup ioLoops;
    private Channel listener;

    /** A server whose publishers are refused: nothing can mount what they send. */
    RtspServer(RtspSettings settings, Streams streams, TransportRegistry transports) {
        this(settings, streams, transports, SourceRegistrar.NONE);
    }

    /** @param registrar mounts published streams */
    RtspServer(RtspSettings settings, Streams streams, TransportRegistry transports, SourceRegistrar registrar) {
        this.settings = settings;
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("tributary-rtsp-worker-"));
        ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("tributary-rtsp-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        this.timer = scheduler;
        this.sessions = new SessionRegistry(settings.maxSessions(), settings.sessionTimeout(), workers, timer);
        this.service = new RtspService(streams, transports, sessions, settings.sessionTimeout(), settings.publishing(),
                settings.redirects(), registrar);
        this.limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerAddress());
        sessions.startTimer();
    }

    SessionRegistry sessions() {
        return sessions;
    }

    RtspService service() {
        return service;
    }

    /**
     * Starts listening.
     *
     * @return the port listened on (the one asked for, or the one the system chose for port 0)
     * @throws BindException if the port is taken or the address is not this machine's
     */
    int start() throws BindException {
        boolean epoll = epollAvailable();
        acceptLoop = epoll ? new EpollEventLoopGroup(1, new DefaultThreadFactory("tributary-rtsp-accept", true))
                : new NioEventLoopGroup(1, new DefaultThreadFactory("tributary-rtsp-accept", true));
        ioLoops = epoll ? new EpollEventLoopGroup(2, new DefaultThreadFactory("tributary-rtsp-io", true))
                : new NioEventLoopGroup(2, new DefaultThreadFactory("tributary-rtsp-io", true));
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        int high = settings.interleavedQueueBytes();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptLoop, ioLoops)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
                .childOption(ChannelOption.SO_SNDBUF,
                        settings.sendBufferBytes() > 0 ? Integer.valueOf(settings.sendBufferBytes()) : null)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        initPipeline(ch);
                    }
                });
        InetSocketAddress address = settings.bindAddress() == null || settings.bindAddress().isBlank()
                ? new InetSocketAddress(settings.port())
                : new InetSocketAddress(settings.bindAddress().trim(), settings.port());
        try {
            listener = bootstrap.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            shutDownLoops();
            if (e instanceof BindException be) {
                throw be;
            }
            BindException be = new BindException(e.getMessage());
            be.initCause(e);
            throw be;
        }
        int port = ((InetSocketAddress) listener.localAddress()).getPort();
        LOG.info("RTSP server listening on {}:{} ({})", address.getHostString(), port, epoll ? "epoll" : "NIO");
        return port;
    }

    /** Sets up one connection's pipeline; also used by tests on an {@code EmbeddedChannel}. */
    void initPipeline(Channel ch) {
        ch.pipeline().addLast("limits", limits)
                .addLast("decoder", new RtspDecoder(settings.maxRequestBytes(), settings.maxHeaders(),
                        settings.maxBodyBytes(), settings.labClientIdleMillis()))
                .addLast("rtsp", new RtspConnection(service, workers, settings.maxPipelinedRequests(),
                        settings.stalledClientSeconds()));
    }

    /** Ends every session with BYE, closes the port and every connection, and stops every thread. */
    @Override
    public void close() {
        sessions.endAll("server stopped");
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        timer.shutdown();
        workers.shutdown();
        try {
            // Deliveries close shortly after their BYE; give the timer that long.
            timer.awaitTermination(1, TimeUnit.SECONDS);
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        shutDownLoops();
    }

    private void shutDownLoops() {
        if (acceptLoop != null) {
            acceptLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
        if (ioLoops != null) {
            ioLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    private static boolean epollAvailable() {
        try {
            return Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
