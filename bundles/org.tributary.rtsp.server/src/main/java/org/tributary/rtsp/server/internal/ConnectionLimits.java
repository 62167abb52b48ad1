package org.tributary.rtsp.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

/**
 * Closes a new connection beyond {@code maxConnections} in all or {@code maxConnectionsPerAddress} from one
 * client address. Shared by every connection; thread-safe.
 */
@Sharable
final class ConnectionLimits extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("tributary.rtsp.counted");

    private final int maxConnections;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    ConnectionLimits(int maxConnections, int maxPerAddress) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        int all = total.incrementAndGet();
        int mine = address == null ? 0 : perAddress.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet();
        ctx.channel().attr(COUNTED).set(address);
        if (all > maxConnections || mine > maxPerAddress) {
            LOG.debug("RTSP connection from {} refused: {} connections in all (max {}), {} from that address (max {})",
                    address, all, maxConnections, mine, maxPerAddress);
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().hasAttr(COUNTED)) {
            InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
            total.decrementAndGet();
            if (address != null) {
                perAddress.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
        super.channelInactive(ctx);
    }

    int connections() {
        return total.get();
    }
}
