package org.tributary.loadtool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.tributary.rtp.Rtcp;
import org.tributary.rtp.RtcpPacket;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpHeader;

/**
 * Receives RTP and RTCP for every session on one thread with one selector, so a hundred sessions cost one
 * thread, not a hundred. Each datagram is stamped with {@link System#nanoTime()} as it is read and handed to
 * its session's {@link SessionStats}, which only this thread touches.
 *
 * <p>Channels may be added from any thread while it runs; {@link #close()} stops the thread and waits for it,
 * after which the statistics are safe to read from the closing thread.
 */
final class UdpReceiver implements AutoCloseable {

    private record Endpoint(SessionStats stats, boolean rtcp) {
    }

    private record Registration(DatagramChannel channel, Endpoint endpoint) {
    }

    private final Selector selector;
    private final Queue<Registration> pending = new ConcurrentLinkedQueue<>();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long totalPackets;
    private volatile long totalBytes;
    private volatile IOException error;

    UdpReceiver() throws IOException {
        selector = Selector.open();
        thread = new Thread(this::run, "tributary-loadtool-udp");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts receiving a session's RTP and RTCP; the channels must be bound and non-blocking. The caller keeps
     * ownership and closes them after {@link #close()}.
     */
    void register(DatagramChannel rtp, DatagramChannel rtcp, SessionStats stats) {
        pending.add(new Registration(rtp, new Endpoint(stats, false)));
        pending.add(new Registration(rtcp, new Endpoint(stats, true)));
        selector.wakeup();
    }

    /** Datagrams received so far by all sessions, for progress lines; approximate while running. */
    long totalPackets() {
        return totalPackets;
    }

    /** Bytes received so far by all sessions, for progress lines; approximate while running. */
    long totalBytes() {
        return totalBytes;
    }

    private void run() {
        long packets = 0;
        long bytes = 0;
        try {
            while (running) {
                for (Registration r; (r = pending.poll()) != null; ) {
                    r.channel().register(selector, SelectionKey.OP_READ, r.endpoint());
                }
                if (selector.select(100) == 0) {
                    continue;
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    Endpoint endpoint = (Endpoint) key.attachment();
                    // Drain the socket: one wakeup per burst, not per datagram.
                    while (true) {
                        buffer.clear();
                        if (channel.receive(buffer) == null) {
                            break;
                        }
                        long now = System.nanoTime();
                        buffer.flip();
                        packets++;
                        bytes += buffer.remaining();
                        if (endpoint.rtcp()) {
                            endpoint.stats().onRtcp(containsBye(buffer));
                        } else if (RtpHeader.isValid(buffer)) {
                            endpoint.stats().onPacket(RtpHeader.sequence(buffer), RtpHeader.timestamp(buffer),
                                    RtpHeader.marker(buffer), buffer.remaining(), now);
                        }
                    }
                }
                totalPackets = packets;
                totalBytes = bytes;
            }
        } catch (ClosedSelectorException e) {
            // close() raced with select(): the run is over.
        } catch (IOException e) {
            error = e;
        }
    }

    /** Why the receiving thread stopped early, {@code null} when it did not; the figures are then partial. */
    IOException error() {
        return error;
    }

    private static boolean containsBye(ByteBuffer datagram) {
        try {
            for (RtcpPacket packet : Rtcp.parse(datagram)) {
                if (packet.type() == RtcpPacket.BYE) {
                    return true;
                }
            }
        } catch (RtpException e) {
            // A malformed RTCP datagram still counts as RTCP; it just carries no BYE we can see.
        }
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(5000);
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing left to receive either way.
        }
    }
}
