package org.tributary.api;

import java.nio.ByteBuffer;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The RTSP server's side of a TCP connection that carries RTP and RTCP interleaved with RTSP messages
 * ({@code $}, channel, length, packet; RFC 2326 §10.12). The server owns the connection; a transport
 * writes through it and never closes it.
 *
 * <p>Thread-safe; no method blocks.
 */
@ProviderType
public interface InterleavedConnection {

    /**
     * Queues the packets of one frame on a channel, whole or not at all: when the connection's queue is
     * full the frame is dropped and {@code false} returned. Each packet is framed atomically, so an RTSP
     * response never splits one. The buffers are only read, never kept after they are written.
     */
    boolean write(int channel, List<ByteBuffer> packets);

    /** Routes packets arriving on {@code channel} to {@code receiver} (RTCP from the client, a publisher's RTP). */
    void receive(int channel, java.util.function.Consumer<ByteBuffer> receiver);

    /** Channels the client has not claimed yet, in ascending order from 0: a pair for a new track. */
    int[] freeChannelPair();
}
