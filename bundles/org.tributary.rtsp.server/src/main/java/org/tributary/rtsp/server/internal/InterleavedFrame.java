package org.tributary.rtsp.server.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One {@code $}-framed packet read from an RTSP connection (RFC 2326 §10.12). Reference-counted: whoever
 * receives it releases it or passes it on.
 */
final class InterleavedFrame extends DefaultByteBufHolder {

    private final int channel;

    InterleavedFrame(int channel, ByteBuf packet) {
        super(packet);
        this.channel = channel;
    }

    /** The interleaved channel, 0..255. */
    int channel() {
        return channel;
    }
}
