package org.tributary.rtp.jpeg;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Feeding a receiver process (FFmpeg) over UDP on loopback without losing packets: the kernel drops a datagram
 * that arrives before the receiver has bound its port, or when the receiver's socket buffer is full. So a test
 * waits for the bind ({@link #awaitBound}), sends paced ({@link #PACKET_GAP_NANOS} between packets) and waits for
 * the receiver to have read everything ({@link #awaitDrained}) before it ends the stream.
 */
public final class LoopbackUdp {

    /**
     * The pause after each packet. 1400-byte packets at most every 100 µs is at most 14 MB/s, which a receiver
     * on a busy machine reads as it comes; slowness of the sender only widens the gaps.
     */
    public static final long PACKET_GAP_NANOS = 100_000;

    /** Upper bound of any wait here: only reached when something hangs. */
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private LoopbackUdp() {
    }

    /** Sends a packet, then pauses {@link #PACKET_GAP_NANOS}. */
    public static void sendPaced(DatagramSocket socket, ByteBuffer packet, java.net.SocketAddress target)
            throws IOException {
        byte[] bytes = TestImages.bytes(packet);
        socket.send(new DatagramPacket(bytes, bytes.length, target));
        LockSupport.parkNanos(PACKET_GAP_NANOS);
    }

    /**
     * Waits until a socket on this host is bound to UDP {@code port}, so the first packets are not sent into the
     * void. Probing by binding the port would race with the receiver's own bind, so the kernel's socket table is
     * read instead.
     */
    public static void awaitBound(int port, Process receiver) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (System.nanoTime() < deadline && receiver.isAlive()) {
            if (receiveQueue(port).isPresent()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException(receiver.isAlive() ? "the receiver did not open UDP port " + port
                : "the receiver ended before it opened UDP port " + port + " (exit " + receiver.exitValue() + ")");
    }

    /**
     * Waits until the socket bound to {@code port} has no datagram left unread, and then {@code settleMillis}
     * more with none, or the receiver ends.
     */
    public static void awaitDrained(int port, Process receiver, long settleMillis) throws Exception {
        long deadline = System.nanoTime() + WAIT_NANOS;
        long emptySince = -1;
        while (System.nanoTime() < deadline && receiver.isAlive()) {
            long queued = receiveQueue(port).orElse(0L);
            long now = System.nanoTime();
            if (queued > 0) {
                emptySince = -1;
            } else if (emptySince < 0) {
                emptySince = now;
            } else if (now - emptySince >= TimeUnit.MILLISECONDS.toNanos(settleMillis)) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Bytes waiting in the receive queue of the socket bound to UDP {@code port}; empty if none is bound. */
    static Optional<Long> receiveQueue(int port) throws IOException {
        String local = String.format(":%04X", port);
        for (String table : List.of("/proc/net/udp", "/proc/net/udp6")) {
            Path file = Path.of(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                // sl local_address rem_address st tx_queue:rx_queue ...
                String[] fields = line.strip().split("\\s+");
                if (fields.length > 4 && fields[1].endsWith(local)) {
                    String[] queues = fields[4].split(":");
                    return Optional.of(queues.length == 2 ? Long.parseLong(queues[1], 16) : 0L);
                }
            }
        }
        return Optional.empty();
    }

    /** An even port whose successor (RTCP) is free too, as FFmpeg binds both. */
    public static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket probe = new DatagramSocket(0)) {
                int port = probe.getLocalPort() & ~1;
                if (port < 1024) {
                    continue;
                }
                probe.close();
                try (DatagramSocket rtp = new DatagramSocket(port);
                        DatagramSocket rtcp = new DatagramSocket(port + 1)) {
                    return port;
                } catch (SocketException taken) {
                    // try another pair
                }
            }
        }
        throw new IOException("no free UDP port pair");
    }
}
