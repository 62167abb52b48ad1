package org.tributary.loadtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

class UdpReceiverTest {

    private static final int FRAMES = 25;
    private static final int PACKETS_PER_FRAME = 3;
    private static final long PERIOD_NANOS = 10_000_000L;
    private static final int TICKS_PER_FRAME = 900;

    @Test
    void aSenderOnScheduleGivesCompleteFramesSmallDeviationsAndCountsTheDroppedPacket() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        SessionStats stats = new SessionStats(90_000);
        try (DatagramChannel rtp = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel rtcp = DatagramChannel.open(StandardProtocolFamily.INET);
                DatagramChannel sender = DatagramChannel.open(StandardProtocolFamily.INET)) {
            rtp.bind(new InetSocketAddress(loopback, 0)).configureBlocking(false);
            rtcp.bind(new InetSocketAddress(loopback, 0)).configureBlocking(false);
            UdpReceiver receiver = new UdpReceiver();
            // The channels are bound before anything is sent: what comes before the receiver reads waits in them.
            receiver.register(rtp, rtcp, stats);

            Thread pacer = new Thread(() -> send(sender, (InetSocketAddress) localAddress(rtp)), "test-rtp-sender");
            pacer.start();
            pacer.join();
            // Every packet sent has been counted before the receiver closes (the bound only ends a hang).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stats.packets() < FRAMES * PACKETS_PER_FRAME - 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            receiver.close();
        }

        int dropped = 1;
        assertEquals(FRAMES * PACKETS_PER_FRAME - dropped, stats.packets());
        assertEquals(dropped, stats.lost());
        assertEquals(FRAMES - 1, stats.completeFrames());
        assertEquals(1, stats.incompleteFrames());
        Percentiles deviation = new Percentiles(stats.deviationsNanos());
        assertEquals(FRAMES, deviation.count());
        // How far arrivals deviate from the schedule depends on the machine: printed, not asserted.
        System.out.println("arrival deviation: median " + deviation.percentile(50) + " ns");
    }

    private static java.net.SocketAddress localAddress(DatagramChannel channel) {
        try {
            return channel.getLocalAddress();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Three packets per frame at absolute deadlines, timestamps 900 ticks (10 ms) apart; packet 1 of frame 5 dropped. */
    private static void send(DatagramChannel channel, InetSocketAddress target) {
        long start = System.nanoTime();
        int seq = 40_000;
        ByteBuffer packet = ByteBuffer.allocate(200);
        try {
            for (int frame = 0; frame < FRAMES; frame++) {
                long deadline = start + frame * PERIOD_NANOS;
                while (System.nanoTime() < deadline) {
                    LockSupport.parkNanos(deadline - System.nanoTime());
                }
                for (int p = 0; p < PACKETS_PER_FRAME; p++) {
                    boolean last = p == PACKETS_PER_FRAME - 1;
                    packet.clear();
                    packet.put((byte) 0x80).put((byte) (last ? 0x80 | 26 : 26)).putShort((short) seq++)
                            .putInt(7 + frame * TICKS_PER_FRAME).putInt(0xCAFE).put(new byte[100]).flip();
                    if (!(frame == 5 && p == 1)) {
                        channel.send(packet, target);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
