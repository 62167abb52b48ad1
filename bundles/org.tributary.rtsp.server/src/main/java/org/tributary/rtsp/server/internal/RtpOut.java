package org.tributary.rtsp.server.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.tributary.api.Frame;
import org.tributary.rtp.PayloadFormat;
import org.tributary.rtp.Rtcp;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpPacketizer;

/**
 * One outgoing RTP stream: one SSRC, sequence space and timestamp base. An on-demand session owns one; a
 * live stream has one shared by every session on it, so each frame is packetized once and the same packets
 * go to every session's delivery (DESIGN.md "How a frame travels").
 *
 * <p>Thread-safe. The lock is this object's own: per session for on-demand, per live stream otherwise; a
 * live stream's frames come from one producer thread, so it is not contended.
 */
final class RtpOut {

    private final RtpPacketizer packetizer;
    private final int clockRate;
    private final int timestampBase;
    private final String cname;
    private final boolean shared;
    private final LongAdder packetized;

    private long lastIndex = -1;
    private long lastNanos = -1;
    private List<ByteBuffer> lastPackets;
    private int lastRtpTimestamp;
    private long lastFrameAt;

    /**
     * @param timestampBase the random RTP timestamp of presentation time 0
     * @param shared whether several sessions ask for the packets of each frame (a live stream); an
     *        on-demand stream may send the same frame again after a seek, with new sequence numbers
     * @param packetized counts every frame turned into packets (not the repeats handed to further sessions)
     */
    RtpOut(PayloadFormat format, int payloadType, int ssrc, int initialSequence, int timestampBase,
            int maxPacketSize, String cname, boolean shared, LongAdder packetized) {
        this.packetizer = new RtpPacketizer(format, payloadType, ssrc, initialSequence, maxPacketSize);
        this.clockRate = format.clockRate();
        this.timestampBase = timestampBase;
        this.cname = cname;
        this.shared = shared;
        this.packetized = packetized;
        this.lastRtpTimestamp = timestampBase;
        this.lastFrameAt = System.nanoTime();
    }

    int ssrc() {
        return packetizer.ssrc();
    }

    /** Whether several sessions share this stream (a live stream). */
    boolean shared() {
        return shared;
    }

    synchronized int nextSequence() {
        return packetizer.nextSequence();
    }

    /** The RTP timestamp of a presentation time. */
    int rtpTimestamp(Duration presentationTime) {
        long nanos = presentationTime.toNanos();
        return timestampBase + (int) (nanos / 1_000_000_000L * clockRate + nanos % 1_000_000_000L * clockRate
                / 1_000_000_000L);
    }

    /**
     * Anchors the sender-report clock: a stream that starts or seeks to {@code position} is at that
     * presentation time now, even before its first frame.
     */
    synchronized void anchor(Duration position) {
        lastRtpTimestamp = rtpTimestamp(position);
        lastFrameAt = System.nanoTime();
    }

    /**
     * The packets of a frame; when the frame is the one packetized last (another session of the same live
     * stream asked first), the same packets again.
     *
     * @throws RtpException if the payload format cannot carry the frame
     */
    synchronized List<ByteBuffer> packets(Frame frame) throws RtpException {
        if (shared && lastPackets != null && frame.index() == lastIndex && frame.timestampNanos() == lastNanos) {
            return lastPackets;
        }
        int timestamp = timestampBase + (int) frame.timestampAt(clockRate);
        List<ByteBuffer> packets = packetizer.packetize(frame, timestamp);
        lastIndex = frame.index();
        lastNanos = frame.timestampNanos();
        lastPackets = packets;
        lastRtpTimestamp = timestamp;
        lastFrameAt = System.nanoTime();
        packetized.increment();
        return packets;
    }

    /** A sender report for now (RFC 3550 §6.4.1). */
    synchronized ByteBuffer senderReport() {
        return Rtcp.senderReport(ssrc(), Rtcp.ntpTimestamp(System.currentTimeMillis()), rtpNow(),
                packetizer.packetCount(), packetizer.octetCount(), cname);
    }

    /** A sender report with BYE: the stream ends for the receiver. */
    synchronized ByteBuffer bye(String reason) {
        return Rtcp.bye(ssrc(), Rtcp.ntpTimestamp(System.currentTimeMillis()), rtpNow(), packetizer.packetCount(),
                packetizer.octetCount(), cname, reason);
    }

    private int rtpNow() {
        long elapsed = System.nanoTime() - lastFrameAt;
        return lastRtpTimestamp + (int) (elapsed / 1_000_000L * clockRate / 1000L);
    }
}
