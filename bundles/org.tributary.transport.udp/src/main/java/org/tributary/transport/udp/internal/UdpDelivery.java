package org.tributary.transport.udp.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryStats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramPacket;

/**
 * One client's path on the shared UDP sockets: RTP to the client's RTP port from the server's RTP socket (and
 * from it, for a client that publishes), RTCP both ways on the RTCP socket.
 *
 * <p>Thread-safe. {@link #send(List)} never blocks: it hands the frame to the event loop, whole, or drops
 * it whole when more than the configured send queue is already waiting for the socket. The packet buffers
 * are wrapped, never copied or modified, and not referenced once written.
 */
public final class UdpDelivery implements Delivery {

    private static final Logger LOG = LoggerFactory.getLogger(UdpDelivery.class);

    /** The most segments Linux accepts in one GSO send (UDP_MAX_SEGMENTS). */
    private static final int MAX_SEGMENTS = 64;

    /** The largest UDP payload over IPv4: one GSO send may not exceed it. */
    private static final int MAX_GSO_PAYLOAD = 65_507;

    private final UdpTransport transport;
    private final Channel rtp;
    private final Channel rtcp;
    private final InetSocketAddress rtpTarget;
    private final InetSocketAddress rtcpTarget;
    private final String transportHeader;
    private final DeliveryListener listener;
    private final LongAdder packets = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder droppedFrames = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();

    UdpDelivery(UdpTransport transport, Channel rtp, Channel rtcp, InetSocketAddress rtpTarget,
            InetSocketAddress rtcpTarget, String transportHeader, DeliveryListener listener) {
        this.transport = transport;
        this.rtp = rtp;
        this.rtcp = rtcp;
        this.rtpTarget = rtpTarget;
        this.rtcpTarget = rtcpTarget;
        this.transportHeader = transportHeader;
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
        // One check for the whole frame: once it passes, every packet is queued, so a client never gets
        // part of a frame because the queue filled half way.
        if (!rtp.isWritable()) {
            droppedFrames.increment();
            return false;
        }
        int segment = transport.gso() && count > 1 ? segmentSize(frame, count) : 0;
        long total = segment > 0 ? writeSegmented(frame, count, segment) : writeEach(frame, count);
        rtp.flush();
        packets.add(count);
        bytes.add(total);
        return true;
    }

    private long writeEach(List<ByteBuffer> frame, int count) {
        long total = 0;
        for (int i = 0; i < count; i++) {
            ByteBuffer packet = frame.get(i);
            total += packet.remaining();
            rtp.write(new DatagramPacket(Unpooled.wrappedBuffer(packet), rtpTarget), rtp.voidPromise());
        }
        return total;
    }

    /**
     * Writes runs of packets as single GSO sends that the kernel cuts back into the same datagrams: the
     * same bytes on the wire, a fraction of the CPU.
     */
    private long writeSegmented(List<ByteBuffer> frame, int count, int segment) {
        int perSend = Math.min(MAX_SEGMENTS, MAX_GSO_PAYLOAD / segment);
        long total = 0;
        for (int start = 0; start < count; start += perSend) {
            int end = Math.min(count, start + perSend);
            if (end - start == 1) {
                ByteBuffer packet = frame.get(start);
                total += packet.remaining();
                rtp.write(new DatagramPacket(Unpooled.wrappedBuffer(packet), rtpTarget), rtp.voidPromise());
                continue;
            }
            ByteBuf[] parts = new ByteBuf[end - start];
            for (int i = start; i < end; i++) {
                ByteBuffer packet = frame.get(i);
                total += packet.remaining();
                parts[i - start] = Unpooled.wrappedBuffer(packet);
            }
            rtp.write(new SegmentedDatagramPacket(Unpooled.wrappedBuffer(parts.length, parts), segment, rtpTarget),
                    rtp.voidPromise());
        }
        return total;
    }

    /**
     * The size every packet but the last shares, the last being no larger, which is what GSO can carry;
     * 0 when the frame does not have that shape.
     */
    private static int segmentSize(List<ByteBuffer> frame, int count) {
        int segment = frame.get(0).remaining();
        if (segment == 0 || segment > MAX_GSO_PAYLOAD) {
            return 0;
        }
        for (int i = 1; i < count - 1; i++) {
            if (frame.get(i).remaining() != segment) {
                return 0;
            }
        }
        int last = frame.get(count - 1).remaining();
        return last > 0 && last <= segment ? segment : 0;
    }

    @Override
    public void sendControl(ByteBuffer packet) {
        if (closed.get() || !rtcp.isWritable() || !packet.hasRemaining()) {
            return;
        }
        rtcp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), rtcpTarget), rtcp.voidPromise());
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
        transport.closed(this);
        return true;
    }

    /** Tells the listener the delivery ended without its owner closing it. */
    void tellClosed(String reason) {
        try {
            listener.onClosed(reason);
        } catch (RuntimeException e) {
            LOG.warn("listener of the UDP delivery to {} failed on close", rtpTarget, e);
        }
    }

    /** RTCP from the client, on the event loop; the buffer is valid during the call only. */
    void controlReceived(ByteBuffer packet) {
        if (closed.get()) {
            return;
        }
        try {
            listener.onControl(packet);
        } catch (RuntimeException e) {
            LOG.debug("listener of the UDP delivery to {} failed on RTCP", rtcpTarget, e);
        }
    }

    /** RTP from the client, on the event loop; the buffer is valid during the call only. */
    void dataReceived(ByteBuffer packet) {
        if (closed.get()) {
            return;
        }
        try {
            listener.onData(packet);
        } catch (RuntimeException e) {
            LOG.debug("listener of the UDP delivery to {} failed on RTP", rtpTarget, e);
        }
    }

    /** Where RTP goes, and the only sender whose RTP reaches this delivery. */
    public InetSocketAddress rtpTarget() {
        return rtpTarget;
    }

    /** Where RTCP goes, and the only sender whose RTCP reaches this delivery. */
    public InetSocketAddress rtcpTarget() {
        return rtcpTarget;
    }

    @Override
    public String toString() {
        return "UdpDelivery[" + rtpTarget + (closed.get() ? ", closed]" : "]");
    }
}
