package org.tributary.rtsp.client.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the RTP and RTCP ports of every UDP track on one thread, so the packets of a track reach its
 * {@link TrackReceiver} one at a time and in arrival order.
 *
 * <p>Thread-safe: tracks are added before {@link #start()}; {@link #close()} from any thread.
 */
final class UdpReceiver implements Closeable {

    private static final int RECEIVE_BUFFER = 2 * 1024 * 1024;

    private final Selector selector;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final Consumer<IOException> onFailure;
    private final Consumer<RuntimeException> onError;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param onFailure told when the ports cannot be read any more
     * @param onError told when handling one packet failed; receiving goes on
     */
    UdpReceiver(String threadName, Consumer<IOException> onFailure, Consumer<RuntimeException> onError)
            throws IOException {
        this.selector = Selector.open();
        this.onFailure = onFailure;
        this.onError = onError;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    /**
     * Binds an even RTP port and the odd RTCP port above it (RFC 3550 §11), as servers expect.
     *
     * @return the RTP channel first, then the RTCP channel
     */
    static DatagramChannel[] bindPair() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramChannel rtp = DatagramChannel.open();
            DatagramChannel rtcp = null;
            try {
                rtp.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
                rtp.bind(new InetSocketAddress(0));
                int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
                if (port % 2 != 0 || port == 65534) {
                    rtp.close();
                    continue;
                }
                rtcp = DatagramChannel.open();
                rtcp.bind(new InetSocketAddress(port + 1));
                return new DatagramChannel[] {rtp, rtcp};
            } catch (IOException e) {
                last = e;
                rtp.close();
                if (rtcp != null) {
                    rtcp.close();
                }
            }
        }
        throw new IOException("no free even/odd UDP port pair for RTP and RTCP after 50 tries", last);
    }

    static int port(DatagramChannel channel) throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    void add(TrackReceiver track) throws IOException {
        register(track.rtpSocket, false, track);
        register(track.rtcpSocket, true, track);
    }

    void start() {
        thread.start();
    }

    private void register(DatagramChannel channel, boolean rtcp, TrackReceiver track) throws IOException {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ, new Port(track, rtcp));
        channels.add(channel);
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
        ByteBuffer rtpBuffer = ByteBuffer.allocateDirect(65536);
        try {
            while (!closed) {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    Port port = (Port) key.attachment();
                    DatagramChannel channel = (DatagramChannel) key.channel();
                    while (true) {
                        buffer.clear();
                        if (channel.receive(buffer) == null) {
                            break;
                        }
                        buffer.flip();
                        if (port.rtcp) {
                            // A sender's RTCP (its BYE above all) follows the RTP it sent before: RTP that
                            // is already waiting is handed on first, so a BYE never overtakes the last frames.
                            drain(port.track.rtpSocket, port.track, rtpBuffer);
                        }
                        handle(port, buffer);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (ClosedSelectorException e) {
            // closed while selecting: the normal way out
        } catch (IOException e) {
            if (!closed) {
                onFailure.accept(e);
            }
        }
    }

    private void drain(DatagramChannel rtp, TrackReceiver track, ByteBuffer buffer) throws IOException {
        Port port = new Port(track, false);
        while (true) {
            buffer.clear();
            if (rtp.receive(buffer) == null) {
                return;
            }
            buffer.flip();
            handle(port, buffer);
        }
    }

    private void handle(Port port, ByteBuffer packet) {
        long now = System.nanoTime();
        try {
            if (port.rtcp) {
                port.track.rtcp(packet, now);
            } else {
                port.track.rtp(packet, now);
            }
        } catch (RuntimeException e) {
            onError.accept(e);
        }
    }

    /** Stops the thread and closes every port. */
    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        for (DatagramChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
    }

    private record Port(TrackReceiver track, boolean rtcp) {
    }
}
