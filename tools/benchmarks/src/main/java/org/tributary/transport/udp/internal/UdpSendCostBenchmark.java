package org.tributary.transport.udp.internal;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.SegmentedDatagramPacket;

import org.tributary.api.Delivery;
import org.tributary.api.DeliveryListener;
import org.tributary.api.DeliveryRequest;
import org.tributary.api.DeliveryStats;

/**
 * Sender CPU (the sending thread, as the pacer, plus the transport's event loop) per GB of RTP over UDP on
 * loopback, for each way the transport can run: NIO, epoll, and epoll with UDP GSO.
 *
 * <pre>
 * ./mvnw -o -q -pl tools/benchmarks package
 * java -cp tools/benchmarks/target/benchmarks.jar org.tributary.transport.udp.internal.UdpSendCostBenchmark \
 *     [--frames 25000]
 * </pre>
 *
 * <p>Each mode sends 2000 frames to warm up, then {@code frames} frames of about 40 KB (28 packets of 1400 bytes
 * and one of 600, as the RTP packetizer cuts a 640x480 JPEG) as fast as the send queue takes them, to a socket
 * of this process that nobody reads (the kernel drops what does not fit; the sender's cost is the same). Lives
 * in the transport's package to reach its event loop; on a plain class path a package may span jars.
 */
public final class UdpSendCostBenchmark {

    private UdpSendCostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int frames = 25_000;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--frames") && i + 1 < args.length) {
                frames = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: UdpSendCostBenchmark [--frames N]");
                System.exit(2);
            }
        }
        measure("NIO", false, false, frames);
        if (Epoll.isAvailable()) {
            measure("EPOLL", true, false, frames);
            if (SegmentedDatagramPacket.isSupported()) {
                measure("EPOLL_GSO", true, true, frames);
            } else {
                System.out.println("EPOLL_GSO: UDP GSO unsupported here");
            }
        } else {
            System.out.println("EPOLL: unavailable here");
        }
    }

    private static void measure(String mode, boolean epoll, boolean gso, int frames) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (UdpTransport transport = new UdpTransport(
                new UdpSettings(loopback, 0, 10, 16 << 20, 1 << 20, epoll, gso));
                DatagramSocket rtp = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket rtcp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            Delivery delivery = transport.open(new DeliveryRequest("RTP/AVP",
                    Map.of("client_port", rtp.getLocalPort() + "-" + rtcp.getLocalPort()),
                    new InetSocketAddress(loopback, 40000), null, new DeliveryListener() {
                        @Override
                        public void onControl(ByteBuffer control) {
                        }

                        @Override
                        public void onClosed(String reason) {
                        }
                    }));
            List<ByteBuffer> frame = frame(28, 1400, 600);
            for (int i = 0; i < 2000; i++) {
                delivery.send(frame);
            }
            drain(transport);
            Thread loop = transport.threads().get(0);
            DeliveryStats before = delivery.stats();
            long loopCpu = mx.getThreadCpuTime(loop.getId());
            long senderCpu = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            for (int i = 0; i < frames; i++) {
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
            System.out.printf(Locale.ROOT, "%-9s %6.2f GB sent, %d times the queue was full, wall %5.0f ms, CPU-s/GB:"
                    + " pacer %.2f, event loop %.2f, total %.2f%n", mode, gb,
                    after.droppedFrames() - before.droppedFrames(), wall / 1e6, senderCpu / 1e9 / gb,
                    loopCpu / 1e9 / gb, (senderCpu + loopCpu) / 1e9 / gb);
        }
    }

    /** {@code count} packets of {@code size} bytes and one of {@code lastSize}, in direct buffers. */
    private static List<ByteBuffer> frame(int count, int size, int lastSize) {
        List<ByteBuffer> packets = new ArrayList<>();
        for (int i = 0; i <= count; i++) {
            int n = i == count ? lastSize : size;
            ByteBuffer packet = ByteBuffer.allocateDirect(n);
            for (int j = 0; j < n; j++) {
                packet.put((byte) (i * 31 + j));
            }
            packets.add(packet.flip().asReadOnlyBuffer());
        }
        return packets;
    }

    /** Waits until the event loop has run every write queued so far. */
    private static void drain(UdpTransport transport) throws Exception {
        transport.rtpChannel().eventLoop().submit(() -> { }).get(60, TimeUnit.SECONDS);
    }
}
