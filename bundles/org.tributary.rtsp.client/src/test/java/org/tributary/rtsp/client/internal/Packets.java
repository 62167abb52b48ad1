package org.tributary.rtsp.client.internal;

import java.nio.ByteBuffer;

/** Hand-made RTP packets for tests. */
final class Packets {

    private Packets() {
    }

    static ByteBuffer rtp(int sequence, long timestamp, boolean marker, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | 26)).putShort((short) sequence);
        b.putInt((int) timestamp).putInt(0x11223344).put(payload);
        return b.flip();
    }

    static ByteBuffer rtp(int sequence) {
        return rtp(sequence, sequence * 3600L, true, new byte[] {(byte) sequence});
    }
}
