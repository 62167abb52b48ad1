package org.tributary.rtsp.server.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.InterleavedConnection;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.util.ReferenceCountUtil;

/**
 * One RTSP connection: the last handler of its pipeline, after {@link RtspDecoder}.
 *
 * <p>Requests are answered off the event loop (opening a stream or a transport may block), on a shared pool
 * but one at a time per connection, so replies keep the order of the requests. At most
 * {@code maxPipelined} requests wait; beyond that the connection stops reading until they are answered.
 *
 * <p>It is also the connection's {@link InterleavedConnection}: a transport writes each frame's packets
 * {@code $}-framed as one message, so no RTSP reply lands inside one, and a frame that would push the
 * connection's outbound bytes past its high water mark is dropped whole. Interleaved packets from the
 * client go to the receiver of their channel and are released.
 *
 * <p>A client that stops reading is dropped: when the connection has stayed over its high water mark for
 * {@code stalledClientSeconds} without a queued message (a frame, a reply) being taken by the socket, the
 * connection is reset, which ends the sessions it carried. The check runs on the connection's own event
 * loop and only while it is over the mark, so it costs a healthy client nothing.
 */
final class RtspConnection extends ChannelInboundHandlerAdapter implements InterleavedConnection {

    private static final Logger LOG = LoggerFactory.getLogger(RtspConnection.class);

    private final RtspService service;
    private final SerialExecutor requests;
    private final int maxPipelined;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReferenceArray<Consumer<ByteBuffer>> receivers = new AtomicReferenceArray<>(256);
    private final BitSet claimed = new BitSet(256);
    private final long stalledNanos;
    private volatile Channel channel;
    private volatile String closeReason = "connection closed";

    // The stall watch: touched on the event loop only.
    private ScheduledFuture<?> stallCheck;
    private long leastPending;
    private long lastDrained;

    RtspConnection(RtspService service, Executor workers, int maxPipelined, int stalledClientSeconds) {
        this.service = service;
        this.requests = new SerialExecutor(workers);
        this.maxPipelined = maxPipelined;
        this.stalledNanos = TimeUnit.SECONDS.toNanos(stalledClientSeconds);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    boolean isOpen() {
        Channel c = channel;
        return c != null && c.isActive();
    }

    InetSocketAddress peer() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a
                : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    InetSocketAddress local() {
        return channel.localAddress() instanceof InetSocketAddress a ? a
                : new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof InterleavedFrame frame) {
            try {
                Consumer<ByteBuffer> receiver = receivers.get(frame.channel());
                if (receiver != null) {
                    receiver.accept(frame.content().nioBuffer());
                }
            } catch (RuntimeException e) {
                LOG.debug("Receiver of interleaved channel {} failed", frame.channel(), e);
            } finally {
                frame.release();
            }
        } else if (msg instanceof RtspRequest request) {
            submit(() -> respond(service.handle(request, this)));
        } else if (msg instanceof MalformedRequest malformed) {
            submit(() -> respond(service.malformed(malformed)));
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void submit(Runnable task) {
        if (pending.incrementAndGet() > maxPipelined) {
            channel.config().setAutoRead(false);
        }
        requests.execute(() -> {
            try {
                task.run();
            } finally {
                if (pending.decrementAndGet() == maxPipelined / 2) {
                    channel.config().setAutoRead(true);
                }
            }
        });
    }

    private void respond(RtspResponse response) {
        Channel c = channel;
        try {
            if (!c.isActive()) {
                return;
            }
            ByteBuf bytes = response.encode(c.alloc());
            if (response.isCloseAfter()) {
                c.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
            } else {
                c.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        } finally {
            // Netty keeps the order of writes handed over from one thread: what the action writes follows the reply.
            Runnable after = response.afterWrite();
            if (after != null) {
                after.run();
            }
        }
    }

    /** Why the connection closed, for the sessions it ends. */
    String closeReason() {
        return closeReason;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable()) {
            stopStallCheck();
        } else if (stallCheck == null) {
            leastPending = ctx.channel().bytesBeforeWritable();
            lastDrained = System.nanoTime();
            long period = Math.min(TimeUnit.SECONDS.toNanos(1), stalledNanos / 4);
            stallCheck = ctx.executor().scheduleAtFixedRate(() -> checkStall(ctx), period, period,
                    TimeUnit.NANOSECONDS);
        }
        super.channelWritabilityChanged(ctx);
    }

    /**
     * Pending bytes fall only when the kernel has taken a whole queued message, and the kernel takes more
     * only once its send buffer is about a third empty: a client that frees less than that in the whole stall
     * time counts as stalled.
     */
    private void checkStall(ChannelHandlerContext ctx) {
        Channel c = ctx.channel();
        if (c.isWritable() || !c.isActive()) {
            stopStallCheck();
            return;
        }
        long pending = c.bytesBeforeWritable();
        long now = System.nanoTime();
        if (pending < leastPending) {
            leastPending = pending;
            lastDrained = now;
        } else if (now - lastDrained >= stalledNanos) {
            stopStallCheck();
            long seconds = TimeUnit.NANOSECONDS.toSeconds(stalledNanos);
            closeReason = "client stopped reading for " + seconds + " s";
            LOG.info("RTSP client {} took nothing of its full interleaved queue for {} s; closing its connection and"
                    + " ending its sessions (stalledClientSeconds in configuration {})", c.remoteAddress(), seconds,
                    RtspServerComponent.PID);
            // A reset, not a graceful close: the kernel drops what it still holds for a client that will not
            // read it, instead of keeping it until the peer's window opens.
            c.config().setOption(ChannelOption.SO_LINGER, 0);
            c.close();
        }
    }

    private void stopStallCheck() {
        if (stallCheck != null) {
            stallCheck.cancel(false);
            stallCheck = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopStallCheck();
        service.connectionClosed(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("RTSP connection {} failed; closing it", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    @Override
    public boolean write(int interleavedChannel, List<ByteBuffer> packets) {
        Channel c = channel;
        if (c == null || !c.isActive() || !c.isWritable() || packets.isEmpty()) {
            return false;
        }
        int count = packets.size();
        for (int i = 0; i < count; i++) {
            if (packets.get(i).remaining() > 0xFFFF) {
                return false;
            }
        }
        ByteBuf headers = c.alloc().buffer(4 * count);
        CompositeByteBuf frame = c.alloc().compositeBuffer(2 * count);
        try {
            for (int i = 0; i < count; i++) {
                ByteBuffer packet = packets.get(i);
                int at = headers.writerIndex();
                headers.writeByte('$').writeByte(interleavedChannel).writeShort(packet.remaining());
                frame.addComponent(true, headers.retainedSlice(at, 4));
                frame.addComponent(true, Unpooled.wrappedBuffer(packet));
            }
        } finally {
            headers.release();
        }
        c.writeAndFlush(frame, c.voidPromise());
        return true;
    }

    @Override
    public void receive(int interleavedChannel, Consumer<ByteBuffer> receiver) {
        receivers.set(interleavedChannel & 0xFF, receiver);
        claim(interleavedChannel);
    }

    /** Marks a channel as used by a track, so {@link #freeChannelPair()} does not offer it. */
    void claim(int interleavedChannel) {
        synchronized (claimed) {
            claimed.set(interleavedChannel & 0xFF);
        }
    }

    @Override
    public int[] freeChannelPair() {
        synchronized (claimed) {
            for (int i = 0; i < 255; i += 2) {
                if (!claimed.get(i) && !claimed.get(i + 1)) {
                    return new int[] {i, i + 1};
                }
            }
        }
        return new int[0];
    }
}
