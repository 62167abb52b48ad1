package org.tributary.transport.udp.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.DeliveryStats;
import org.tributary.transport.udp.internal.UdpTransportTest.Client;
import org.tributary.transport.udp.internal.UdpTransportTest.Mode;

/**
 * Sender CPU (pacer thread plus event loop) per GB of RTP on loopback, for each way the transport can run.
 * A measurement, not a check: run with {@code -Dtributary.measure=true}.
 */
@EnabledIfSystemProperty(named = "tributary.measure", matches = "true")
class UdpSendCostTest {

    private static final int FRAMES = 25_000;

    @ParameterizedTest
    @EnumSource(Mode.class)
    void senderCpuPerGigabyte(Mode mode) throws Exception {
        mode.assumeAvailable();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (UdpTransport transport = new UdpTransport(
                new UdpSettings(loopback, 0, 10, 16 << 20, 1 << 20, mode.epoll, mode.gso));
                Client client = Client.open()) {
            Delivery delivery = transport.open(new DeliveryRequest("RTP/AVP",
                    Map.of("client_port", client.rtp.getLocalPort() + "-" + client.rtcp.getLocalPort()),
                    new InetSocketAddress(loopback, 40000), null, new DeliveryListener() {
                        @Override
                        public void onControl(ByteBuffer rtcp) {
                        }

                        @Override
                        public void onClosed(String reason) {
                        }
                    }));
            // A 40 KB frame as an RTP packetizer cuts it: 28 packets of 1400 bytes and a short one.
            List<ByteBuffer> frame = UdpTransportTest.frame(28, 1400, 600, true);
            for (int i = 0; i < 2000; i++) {
                delivery.send(frame);
            }
            drain(transport);
            Thread loop = transport.threads().get(0);
            DeliveryStats before = delivery.stats();
            long loopCpu = mx.getThreadCpuTime(loop.getId());
            long senderCpu = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < FRAMES; i++) {
                // A paced sender waits for the next frame time; here, for the queue to drain a little.
                while (!delivery.send(frame)) {
                    LockSupport.parkNanos(20_000);
                }
            }
            drain(transport);
            long wall = System.nanoTime() - start;
            senderCpu = mx.getCurrentThreadCpuTime() - senderCpu;
            loopCpu = mx.getThreadCpuTime(loop.getId()) - loopCpu;
            DeliveryStats after = delivery.stats();
            double gb = (after.bytes() - before.bytes()) / 1e9;
            System.out.printf("%-9s %6.2f GB sent, %d times the queue was full, wall %5.0f ms, CPU-s/GB: pacer %.2f,"
                    + " event loop %.2f, total %.2f%n", mode, gb, after.droppedFrames() - before.droppedFrames(),
                    wall / 1e6, senderCpu / 1e9 / gb, loopCpu / 1e9 / gb, (senderCpu + loopCpu) / 1e9 / gb);
            assertTrue(gb > 0);
        }
    }

    /** Waits until the event loop has run every write queued so far. */
    private static void drain(UdpTransport transport) throws Exception {
        transport.rtpChannel().eventLoop().submit(() -> { }).get(30, TimeUnit.SECONDS);
    }
}
