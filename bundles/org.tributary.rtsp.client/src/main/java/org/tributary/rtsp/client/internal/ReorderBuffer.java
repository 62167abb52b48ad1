package org.tributary.rtsp.client.internal;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.tributary.rtp.RtpHeader;

/**
 * Puts RTP packets back in sequence order before they reach a depacketizer. A packet in order passes
 * straight through without a copy; one that arrives early is copied and held until the gap before it is
 * filled, or until {@code depth} packets wait behind the gap, which is then given up as lost. Packets older
 * than the last one passed on (late or duplicate) are dropped and counted.
 *
 * <p>Not thread-safe: one per track, used on its receive thread.
 */
final class ReorderBuffer {

    /** A jump larger than this is a new sequence (a seek or a restarted sender), not a gap to wait for. */
    private static final int MAX_GAP = 3000;

    private final int depth;
    private final Consumer<ByteBuffer> output;
    private final TreeMap<Long, ByteBuffer> held = new TreeMap<>();
    private boolean started;
    private long expected;
    private long late;

    /**
     * @param output receives packets in order; a packet is valid only during the call
     */
    ReorderBuffer(int depth, Consumer<ByteBuffer> output) {
        this.depth = depth;
        this.output = output;
    }

    /** Takes one valid RTP packet; not retained after the call unless copied here. */
    void offer(ByteBuffer packet) {
        int sequence = RtpHeader.sequence(packet);
        if (!started) {
            started = true;
            expected = sequence;
        }
        int distance = (short) (sequence - (int) (expected & 0xFFFF));
        if (distance < 0) {
            late++;
            return;
        }
        if (distance > MAX_GAP) {
            flush();
            expected = sequence;
            distance = 0;
        }
        if (distance == 0) {
            output.accept(packet);
            expected++;
            drain();
            return;
        }
        if (depth == 0) {
            expected += distance;
            output.accept(packet);
            expected++;
            return;
        }
        long key = expected + distance;
        if (!held.containsKey(key)) {
            ByteBuffer copy = ByteBuffer.allocate(packet.remaining());
            copy.put(packet.duplicate()).flip();
            held.put(key, copy);
        }
        if (held.size() > depth) {
            expected = held.firstKey();
            drain();
        }
    }

    /** Passes on everything held, in order, giving up the gaps between; used when the stream ends. */
    void flush() {
        while (!held.isEmpty()) {
            Map.Entry<Long, ByteBuffer> first = held.pollFirstEntry();
            output.accept(first.getValue());
            expected = first.getKey() + 1;
        }
    }

    /** Packets dropped because they came after a later one had been passed on. */
    long latePackets() {
        return late;
    }

    private void drain() {
        while (!held.isEmpty() && held.firstKey() == expected) {
            output.accept(held.pollFirstEntry().getValue());
            expected++;
        }
    }
}
