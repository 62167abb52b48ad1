package org.tributary.transport.tcp.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryStats;
import org.tributary.api.InterleavedConnection;

/**
 * One track of one client, interleaved in its RTSP connection: RTP out on the pair's first channel (and in,
 * from a client that publishes), RTCP both ways on the second.
 *
 * <p>Thread-safe. {@link #send(List)} never blocks: the connection queues the frame whole or refuses it
 * whole when its queue is over its limit, and a refused frame is counted as dropped. The packet buffers go
 * to the connection as they are, never copied or modified.
 */
public final class TcpDelivery implements Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(TcpDelivery.class);

    private final TcpTransport transport;
    private final InterleavedConnection connection;
    private final ChannelPair channels;
    private final String transportHeader;
    private final DeliveryListener listener;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder droppedFrames = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    TcpDelivery(TcpTransport transport, InterleavedConnection connection, ChannelPair channels,
            DeliveryListener listener) {
        this.transport = transport;
        this.connection = connection;
        this.channels = channels;
        this.transportHeader = TcpTransport.PROFILE + ";unicast;interleaved=" + channels;
        this.listener = listener;
    }

    @Override
    public String transportHeader() {
        return transportHeader;
    }

    @Override
    public boolean send(List<ByteBuffer> frame) {
        if (closed.get()) {
            return false;
        }
        int count = frame.size();
        if (count == 0) {
            return true;
        }
        if (!connection.write(channels.rtp(), frame)) {
            droppedFrames.increment();
            return false;
        }
        long total = 0;
        for (int i = 0; i < count; i++) {
            total += frame.get(i).remaining();
        }
        packets.add(count);
        bytes.add(total);
        return true;
    }

    @Override
    public void sendControl(ByteBuffer rtcp) {
        if (closed.get() || !rtcp.hasRemaining()) {
            return;
        }
        connection.write(channels.rtcp(), List.of(rtcp));
    }

    @Override
    public DeliveryStats stats() {
        return new DeliveryStats(packets.sum(), bytes.sum(), droppedFrames.sum());
    }

    @Override
    public void close() {
        closeQuietly();
    }

    /** Closes without telling the listener; {@code true} if this call closed it. */
    boolean closeQuietly() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        // Unrouted before the channels are given back, so a delivery opened on them next never loses its RTCP.
        connection.receive(channels.rtcp(), null);
        connection.receive(channels.rtp(), null);
        transport.closed(this);
        return true;
    }

    /** Tells the listener the delivery ended without its owner closing it. */
    void tellClosed(String reason) {
        try {
            listener.onClosed(reason);
        } catch (RuntimeException e) {
            LOG.warn("listener of the TCP delivery on interleaved={} failed on close", channels, e);
        }
    }

    /** RTCP from the client, on the connection's thread; the buffer is valid during the call only. */
    void controlReceived(ByteBuffer packet) {
        if (closed.get()) {
            return;
        }
        try {
            listener.onControl(packet);
        } catch (RuntimeException e) {
            LOG.debug("listener of the TCP delivery on interleaved={} failed on RTCP", channels, e);
        }
    }

    /** RTP from the client (a publisher's media), on the connection's thread; valid during the call only. */
    void dataReceived(ByteBuffer packet) {
        if (closed.get()) {
            return;
        }
        try {
            listener.onData(packet);
        } catch (RuntimeException e) {
            LOG.debug("listener of the TCP delivery on interleaved={} failed on RTP", channels, e);
        }
    }

    InterleavedConnection connection() {
        return connection;
    }

    ChannelPair channels() {
        return channels;
    }

    @Override
    public String toString() {
        return "TcpDelivery[interleaved=" + channels + (closed.get() ? ", closed]" : "]");
    }
}
