package org.tributary.rtsp.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Optional;

import org.tributary.api.Codec;
import org.tributary.rtp.Rtcp;
import org.tributary.rtp.RtcpPacket;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpHeader;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtsp.client.JpegPacketization;
import org.tributary.rtsp.client.ReceivedFrame;

/**
 * One set-up track: statistics on arrival, reordering, depacketizing, and presentation times, on the way
 * from the socket to the listener. RTP and RTCP of a track are fed by one receive thread; statistics may be
 * read from any thread.
 */
final class TrackReceiver {

    /** Where finished frames and the end of the track go. Called on the receive thread. */
    interface Sink {
        void frame(ReceivedFrame frame);

        void bye(TrackReceiver track, String reason);
    }

    final int index;
    final Codec codec;
    final String controlUrl;
    final TrackStatistics stats;
    private final int clockRate;
    private final ReorderBuffer reorder;
    private final Depacketizer depacketizer;
    private final Sink sink;

    /** Set once during SETUP, before packets flow. */
    int rtpChannel = -1;
    int rtcpChannel = -1;
    DatagramChannel rtpSocket;
    DatagramChannel rtcpSocket;
    InetSocketAddress serverRtcp;

    private boolean timing;
    private long firstTimestamp;
    private long lastTimestamp;
    private long extendedTimestamp;
    private long arrival;
    private volatile long droppedFrames;

    TrackReceiver(int index, Codec codec, MediaDescription media, String controlUrl, int jitterBufferDepth,
            JpegPacketization jpeg, Sink sink) {
        this.index = index;
        this.codec = codec;
        this.controlUrl = controlUrl;
        this.clockRate = media.clockRate() > 0 ? media.clockRate() : codec.clockRate();
        this.stats = new TrackStatistics(clockRate);
        this.depacketizer = Depacketizers.create(codec, media, jpeg);
        this.reorder = new ReorderBuffer(jitterBufferDepth, this::depacketize);
        this.sink = sink;
    }

    /** One datagram or interleaved frame from the RTP port or channel; valid only during the call. */
    void rtp(ByteBuffer packet, long arrivalNanos) {
        if (RtpHeader.isRtcp(packet)) {
            rtcp(packet, arrivalNanos);
            return;
        }
        if (!RtpHeader.isValid(packet)) {
            return;
        }
        stats.packet(RtpHeader.ssrc(packet), RtpHeader.sequence(packet), RtpHeader.timestamp(packet),
                packet.remaining(), arrivalNanos);
        arrival = arrivalNanos;
        reorder.offer(packet);
    }

    /** One compound RTCP packet from the server; malformed ones are ignored. */
    void rtcp(ByteBuffer packet, long arrivalNanos) {
        try {
            for (RtcpPacket p : Rtcp.parse(packet)) {
                if (p.type() == RtcpPacket.SR) {
                    stats.senderReport(p.senderInfo().ntpTimestamp(), arrivalNanos);
                } else if (p.type() == RtcpPacket.BYE) {
                    reorder.flush();
                    stats.bye();
                    sink.bye(this, p.reason());
                }
            }
        } catch (RtpException e) {
            // Not ours to judge: a server's odd RTCP must not stop the picture.
        }
    }

    long droppedFrames() {
        return droppedFrames;
    }

    private void depacketize(ByteBuffer packet) {
        Optional<ByteBuffer> image = depacketizer.accept(packet);
        droppedFrames = depacketizer.droppedFrames() + reorder.latePackets();
        if (image.isEmpty()) {
            return;
        }
        long timestamp = RtpHeader.timestamp(packet);
        if (!timing) {
            timing = true;
            firstTimestamp = timestamp;
            extendedTimestamp = timestamp;
        } else {
            extendedTimestamp += (int) (timestamp - lastTimestamp);
        }
        lastTimestamp = timestamp;
        long ticks = extendedTimestamp - firstTimestamp;
        long pts = ticks / clockRate * 1_000_000_000L + ticks % clockRate * 1_000_000_000L / clockRate;
        stats.frame(arrival);
        sink.frame(new ReceivedFrame(codec, index, timestamp, pts, arrival, image.get()));
    }
}
