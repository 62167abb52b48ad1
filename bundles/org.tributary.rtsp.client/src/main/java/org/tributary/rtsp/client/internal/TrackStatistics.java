package org.tributary.rtsp.client.internal;

import org.tributary.rtp.RtcpPacket;

/**
 * Reception statistics of one RTP stream as RFC 3550 defines them: the extended highest sequence number and
 * packets lost (A.1, A.3), the interarrival jitter (A.8), the fraction lost between receiver reports, and
 * the last sender report for LSR/DLSR; plus frame and bit rates over the last second.
 *
 * <p>Thread-safe: the receive thread writes, any thread reads a consistent snapshot.
 */
final class TrackStatistics {

    private final int clockRate;
    private final RateWindow frameRate = new RateWindow();
    private final RateWindow byteRate = new RateWindow();
    private boolean started;
    private int ssrc;
    private int baseSequence;
    private int maxSequence;
    private long cycles;
    private long received;
    private long bytes;
    private long frames;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long firstArrival;
    private long lastTransit;
    private boolean hasTransit;
    private long lastSenderReport;
    private long lastSenderReportArrival;
    private boolean bye;

    TrackStatistics(int clockRate) {
        this.clockRate = clockRate > 0 ? clockRate : 90_000;
    }

    synchronized void packet(int ssrc, int sequence, long rtpTimestamp, int size, long arrivalNanos) {
        if (!started) {
            started = true;
            this.ssrc = ssrc;
            baseSequence = sequence;
            maxSequence = sequence;
            firstArrival = arrivalNanos;
        } else {
            int delta = (sequence - maxSequence) & 0xFFFF;
            if (delta != 0 && delta < 0x8000) {
                if (sequence < maxSequence) {
                    cycles += 65536;
                }
                maxSequence = sequence;
            }
        }
        received++;
        bytes += size;
        byteRate.add(arrivalNanos, size);
        long arrival = (arrivalNanos - firstArrival) / 1000 * clockRate / 1_000_000;
        long transit = arrival - rtpTimestamp;
        if (hasTransit) {
            int d = Math.abs((int) (transit - lastTransit));
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        hasTransit = true;
    }

    synchronized void frame(long arrivalNanos) {
        frames++;
        frameRate.add(arrivalNanos, 1);
    }

    synchronized void senderReport(long ntpTimestamp, long arrivalNanos) {
        lastSenderReport = (ntpTimestamp >>> 16) & 0xFFFF_FFFFL;
        lastSenderReportArrival = arrivalNanos;
    }

    synchronized void bye() {
        bye = true;
    }

    synchronized boolean byeReceived() {
        return bye;
    }

    synchronized boolean started() {
        return started;
    }

    synchronized long frames() {
        return frames;
    }

    synchronized long framesLastSecond(long now) {
        return frameRate.lastSecond(now);
    }

    synchronized long bytesLastSecond(long now) {
        return byteRate.lastSecond(now);
    }

    synchronized long bytes() {
        return bytes;
    }

    synchronized long packets() {
        return received;
    }

    synchronized long expected() {
        return started ? cycles + maxSequence - baseSequence + 1 : 0;
    }

    synchronized long lost() {
        return Math.max(0, expected() - received);
    }

    synchronized long jitter() {
        return (long) jitter;
    }

    synchronized double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    synchronized int lastSequence() {
        return started ? maxSequence : -1;
    }

    /** The report block for the next receiver report (RFC 3550 A.3), or null before the first packet. */
    synchronized RtcpPacket.ReportBlock reportBlock(long nowNanos) {
        if (!started) {
            return null;
        }
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        int fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (int) ((lostInterval << 8) / expectedInterval);
        long cumulative = Math.max(-0x800000, Math.min(0x7FFFFF, expected - received));
        long dlsr = lastSenderReport == 0 ? 0 : ((nowNanos - lastSenderReportArrival) * 65536L) / 1_000_000_000L;
        return new RtcpPacket.ReportBlock(ssrc, Math.min(fraction, 255), (int) cumulative,
                (cycles + maxSequence) & 0xFFFF_FFFFL, (long) jitter, lastSenderReport, dlsr & 0xFFFF_FFFFL);
    }
}
