package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.tributary.rtp.RtpHeader;

class ReorderBufferTest {

    private final List<Integer> out = new ArrayList<>();

    private ReorderBuffer buffer(int depth) {
        return new ReorderBuffer(depth, p -> out.add(RtpHeader.sequence(p)));
    }

    @Test
    void swappedPacketsComeOutInOrder() {
        ReorderBuffer b = buffer(4);
        for (int s : new int[] {10, 12, 11, 13, 15, 14}) {
            b.offer(Packets.rtp(s));
        }
        assertEquals(List.of(10, 11, 12, 13, 14, 15), out);
    }

    @Test
    void aGapIsGivenUpOnceDepthPacketsWaitBehindIt() {
        ReorderBuffer b = buffer(2);
        for (int s : new int[] {1, 3, 4}) {
            b.offer(Packets.rtp(s));
        }
        assertEquals(List.of(1), out, "still waiting for 2");
        b.offer(Packets.rtp(5));
        assertEquals(List.of(1, 3, 4, 5), out);
        b.offer(Packets.rtp(2));
        assertEquals(List.of(1, 3, 4, 5), out, "2 came too late");
        assertEquals(1, b.latePackets());
    }

    @Test
    void sequenceNumbersWrapAround() {
        ReorderBuffer b = buffer(4);
        for (int s : new int[] {65534, 0, 65535, 1}) {
            b.offer(Packets.rtp(s));
        }
        assertEquals(List.of(65534, 65535, 0, 1), out);
    }

    @Test
    void depthZeroPassesEverythingNewerStraightOn() {
        ReorderBuffer b = buffer(0);
        for (int s : new int[] {1, 3, 2, 4}) {
            b.offer(Packets.rtp(s));
        }
        assertEquals(List.of(1, 3, 4), out);
    }

    @Test
    void aLargeJumpStartsANewSequenceInsteadOfWaiting() {
        ReorderBuffer b = buffer(4);
        b.offer(Packets.rtp(100));
        b.offer(Packets.rtp(20000));
        b.offer(Packets.rtp(20001));
        assertEquals(List.of(100, 20000, 20001), out);
    }

    @Test
    void flushHandsOnWhatIsHeld() {
        ReorderBuffer b = buffer(8);
        for (int s : new int[] {1, 4, 3}) {
            b.offer(Packets.rtp(s));
        }
        b.flush();
        assertEquals(List.of(1, 3, 4), out);
    }
}
