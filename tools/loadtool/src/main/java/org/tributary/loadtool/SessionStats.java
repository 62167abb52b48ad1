package org.tributary.loadtool;

import java.util.Arrays;

/**
 * What one session received over RTP: packets, bytes, sequence gaps, frames, and when each frame's last
 * packet arrived against the ideal schedule its RTP timestamps describe.
 *
 * <p>A frame is the packets sharing one RTP timestamp; it ends with the marker packet. It is <em>complete</em>
 * when its packets arrived in sequence order with no gap since the packet before it; a frame whose marker
 * never came (the timestamp moved on first) or that lost a packet is <em>incomplete</em>.
 *
 * <p>Deviation: for every frame whose marker packet arrived, {@code arrival − (t0 + (ts − ts0) / clockRate)},
 * with t0 chosen so that the smallest deviation in the session is 0. A server that sends exactly on schedule
 * scores 0 everywhere; late frames show how late, relative to the session's most punctual one.
 *
 * <p>Loss follows RFC 3550 A.3: expected packets (highest extended sequence number − first + 1) minus
 * received, never below 0. Duplicates count as received, so they can hide as many losses.
 *
 * <p>Not thread-safe: one receiving thread feeds it; read the results after that thread has stopped.
 */
public final class SessionStats {

    private final int clockRate;
    private long packets;
    private long bytes;
    private long rtcpPackets;
    private long byes;
    private long firstExtSeq;
    private long highestExtSeq;
    private long lastExtSeq;
    private long lastExtTs;
    private long firstExtTs;
    private boolean anyFrame;
    private long frameTs;
    private boolean frameOpen;
    private boolean frameIntact;
    private long completeFrames;
    private long incompleteFrames;
    private long[] offsets = new long[1024];
    private int offsetCount;
    private long minOffset = Long.MAX_VALUE;

    /** @param clockRate the RTP clock rate of the stream's timestamps, 90000 for video */
    public SessionStats(int clockRate) {
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /**
     * Records one RTP packet.
     *
     * @param sequence the 16-bit sequence number
     * @param timestamp the 32-bit RTP timestamp, as an unsigned value or the raw int
     * @param marker the marker bit: last packet of a frame
     * @param size the datagram's size in bytes, RTP header included
     * @param arrivalNanos when it arrived, on the {@link System#nanoTime()} scale
     */
    public void onPacket(int sequence, long timestamp, boolean marker, int size, long arrivalNanos) {
        int seq = sequence & 0xFFFF;
        int ts = (int) timestamp;
        long extSeq;
        long extTs;
        if (packets == 0) {
            extSeq = seq;
            firstExtSeq = seq;
            highestExtSeq = seq;
            extTs = ts & 0xFFFF_FFFFL;
        } else {
            // Nearest unwrapping: a difference of less than half the number space is taken as the true distance.
            extSeq = highestExtSeq + (short) (seq - (int) highestExtSeq);
            extTs = lastExtTs + (ts - (int) lastExtTs);
            if (extSeq > highestExtSeq) {
                highestExtSeq = extSeq;
            } else if (extSeq < firstExtSeq) {
                firstExtSeq = extSeq;
            }
        }
        boolean inOrder = packets == 0 || extSeq == lastExtSeq + 1;
        packets++;
        bytes += size;
        lastExtSeq = extSeq;
        lastExtTs = extTs;

        if (!frameOpen || extTs != frameTs) {
            if (frameOpen) {
                incompleteFrames++;
            }
            frameOpen = true;
            frameTs = extTs;
            frameIntact = inOrder;
        } else {
            frameIntact &= inOrder;
        }
        if (marker) {
            if (frameIntact) {
                completeFrames++;
            } else {
                incompleteFrames++;
            }
            frameOpen = false;
            recordDeviation(extTs, arrivalNanos);
        }
    }

    private void recordDeviation(long extTs, long arrivalNanos) {
        if (!anyFrame) {
            anyFrame = true;
            firstExtTs = extTs;
        }
        long ideal = (extTs - firstExtTs) * 1_000_000_000L / clockRate;
        long offset = arrivalNanos - ideal;
        if (offsetCount == offsets.length) {
            offsets = Arrays.copyOf(offsets, offsets.length * 2);
        }
        offsets[offsetCount++] = offset;
        minOffset = Math.min(minOffset, offset);
    }

    /** Records one RTCP datagram from the server; {@code bye} when it holds a BYE. */
    public void onRtcp(boolean bye) {
        rtcpPackets++;
        if (bye) {
            byes++;
        }
    }

    /** RTP packets received, duplicates included. */
    public long packets() {
        return packets;
    }

    /** RTP bytes received (whole datagrams, RTP headers included). */
    public long bytes() {
        return bytes;
    }

    /** Packets never received: gaps in the sequence numbers seen. */
    public long lost() {
        if (packets == 0) {
            return 0;
        }
        return Math.max(0, highestExtSeq - firstExtSeq + 1 - packets);
    }

    /** Frames whose every packet arrived, in order, marker included. */
    public long completeFrames() {
        return completeFrames;
    }

    /** Frames with a missing packet or without their marker packet (a frame still open at the end not counted). */
    public long incompleteFrames() {
        return incompleteFrames;
    }

    /** RTCP datagrams received. */
    public long rtcpPackets() {
        return rtcpPackets;
    }

    /** RTCP BYE packets received. */
    public long byes() {
        return byes;
    }

    /**
     * The deviation from the ideal schedule of every frame whose marker packet arrived, in nanoseconds, in
     * arrival order; the smallest is 0. A new array each call.
     */
    public long[] deviationsNanos() {
        long[] result = Arrays.copyOf(offsets, offsetCount);
        for (int i = 0; i < result.length; i++) {
            result[i] -= minOffset;
        }
        return result;
    }
}
