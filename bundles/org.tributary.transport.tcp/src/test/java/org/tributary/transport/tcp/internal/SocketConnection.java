package org.tributary.transport.tcp.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

import org.tributary.api.InterleavedConnection;

/**
 * An {@link InterleavedConnection} over a real loopback TCP connection, as the RTSP server keeps it: frames
 * go out {@code $}-framed, whole or not at all; {@code $} frames from the client reach the receiver of their
 * channel; a channel is claimed once a receiver is set or {@link #claim} marks it. {@link #peer} is the
 * client's end of the socket.
 */
final class SocketConnection implements InterleavedConnection, AutoCloseable {

    final Peer peer;
    private final Socket server;
    private final OutputStream out;
    private final Thread reader;
    private final AtomicReferenceArray<Consumer<ByteBuffer>> receivers = new AtomicReferenceArray<>(256);
    private final BitSet claimed = new BitSet(256);
    /** While set, every frame is refused, as a connection whose queue is full refuses it. */
    volatile boolean full;

    private SocketConnection(Socket server, Socket client) throws IOException {
        this.server = server;
        this.out = server.getOutputStream();
        this.peer = new Peer(client);
        this.reader = new Thread(this::readFromClient, "test-interleaved-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static SocketConnection open() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            client.setSoTimeout(30_000);
            return new SocketConnection(listener.accept(), client);
        }
    }

    @Override
    public boolean write(int channel, List<ByteBuffer> packets) {
        if (full || server.isClosed()) {
            return false;
        }
        int size = 0;
        for (ByteBuffer packet : packets) {
            size += 4 + packet.remaining();
        }
        ByteBuffer frame = ByteBuffer.allocate(size);
        for (ByteBuffer packet : packets) {
            frame.put((byte) '$').put((byte) channel).putShort((short) packet.remaining()).put(packet.duplicate());
        }
        synchronized (out) {
            try {
                out.write(frame.array());
                out.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }
    }

    @Override
    public void receive(int channel, Consumer<ByteBuffer> receiver) {
        receivers.set(channel & 0xFF, receiver);
        claim(channel);
    }

    /** Marks a channel as used, as the server does with the channels a SETUP names. */
    void claim(int channel) {
        synchronized (claimed) {
            claimed.set(channel & 0xFF);
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

    /** Whether packets arriving on the channel go anywhere. */
    boolean routes(int channel) {
        return receivers.get(channel) != null;
    }

    private void readFromClient() {
        try {
            DataInputStream in = new DataInputStream(server.getInputStream());
            while (true) {
                if (in.readUnsignedByte() != '$') {
                    continue;
                }
                int channel = in.readUnsignedByte();
                byte[] packet = new byte[in.readUnsignedShort()];
                in.readFully(packet);
                Consumer<ByteBuffer> receiver = receivers.get(channel);
                if (receiver != null) {
                    receiver.accept(ByteBuffer.wrap(packet).asReadOnlyBuffer());
                }
            }
        } catch (EOFException | SocketException e) {
            // The connection closed.
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        peer.socket.close();
        server.close();
        reader.join(2000);
    }

    /** The client's end: reads and sends {@code $} frames. */
    static final class Peer {
        final Socket socket;
        private final DataInputStream in;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
        }

        /** One interleaved packet: its channel and bytes. */
        record Packet(int channel, byte[] bytes) {
        }

        Packet read() throws IOException {
            int dollar = in.readUnsignedByte();
            if (dollar != '$') {
                throw new IOException("expected '$', got " + dollar);
            }
            int channel = in.readUnsignedByte();
            byte[] bytes = new byte[in.readUnsignedShort()];
            in.readFully(bytes);
            return new Packet(channel, bytes);
        }

        /** Whether anything arrives within {@code millis}. */
        boolean receivesWithin(int millis) throws IOException {
            int timeout = socket.getSoTimeout();
            socket.setSoTimeout(millis);
            try {
                return in.read() >= 0;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } finally {
                socket.setSoTimeout(timeout);
            }
        }

        void send(int channel, byte[] packet) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {'$', (byte) channel, (byte) (packet.length >> 8), (byte) packet.length});
            out.write(packet);
            out.flush();
        }
    }
}
