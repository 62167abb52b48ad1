package org.tributary.rtsp.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpHeader;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.H264Depacketizer;
import org.tributary.rtp.h264.SequenceParameterSet;
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.JpegDepacketizer;
import org.tributary.rtp.jpeg.JpegException;

/**
 * A published stream as a {@link LiveSource}: the RTP packets a publisher sends are rebuilt into frames (whole
 * JFIF images, or H.264 access units in Annex B form with their keyframe flag) as they arrive, and each frame goes
 * to the sink of the running feed, if any.
 *
 * <p>Packets are taken in the order they arrive, with no jitter buffer: a lost or reordered packet costs its
 * frame (counted in {@link #droppedFrames()}; an H.264 viewer then waits for the next keyframe). Presentation times
 * come from the RTP timestamps, unwrapped, counted from the first packet and never going back.
 *
 * <p>The frames since the last keyframe (at most {@value #GOP_MAX_FRAMES} frames or 8 MiB) are kept, and a
 * {@link #start} hands them to the new sink first, so the first viewer's decoder starts at once instead of waiting
 * for the publisher's next keyframe. {@link #info()} is completed from the first keyframe where the announced
 * SDP left out the size or the H.264 parameter sets.
 *
 * <p>Thread-safe: packets, {@link #start}, {@link #stop} and {@link #end} are serialized by this object's monitor;
 * the sink is called under it and never blocks.
 */
final class PublishedSource implements LiveSource {

    static final int GOP_MAX_FRAMES = 300;
    static final long GOP_MAX_BYTES = 8L << 20;

    private final String name;
    private final int payloadType;
    private final int clockRate;
    private volatile MediaInfo info;

    // Guarded by this.
    private final JpegDepacketizer jpeg;
    private final H264Depacketizer h264;
    private FrameSink sink;
    private boolean awaitingKeyframe;
    private boolean ended;
    private long index;
    private long firstTicks = -1;
    private long lastRtp;
    private long ticks;
    private long lastNanos;
    private final List<Frame> gop = new ArrayList<>();
    private long gopBytes;
    private boolean gopUsable;

    PublishedSource(String name, PublishedMedia media) {
        this.name = name;
        this.info = media.info();
        this.payloadType = media.payloadType();
        this.clockRate = media.clockRate();
        if (media.info().codec() == Codec.JPEG) {
            jpeg = new JpegDepacketizer(media.info().width(), media.info().height());
            h264 = null;
        } else {
            jpeg = null;
            h264 = new H264Depacketizer(media.info().parameterSets());
        }
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    @Override
    public synchronized void start(FrameSink next) {
        if (ended) {
            next.onEnd(EndReason.SOURCE_GONE, "the publisher of stream '" + name + "' has left");
            return;
        }
        sink = next;
        awaitingKeyframe = !gopUsable;
        if (gopUsable) {
            for (Frame frame : gop) {
                next.onFrame(frame);
            }
        }
    }

    @Override
    public synchronized void stop() {
        sink = null;
    }

    /** No frame follows: the publisher left. Viewers are ended by the service going away, not by this. */
    synchronized void end() {
        ended = true;
        sink = null;
        gop.clear();
        gopUsable = false;
    }

    /** Frames lost to missing, reordered or unusable packets. */
    synchronized long droppedFrames() {
        return jpeg != null ? jpeg.droppedFrames() : h264.droppedFrames();
    }

    /**
     * Takes one RTP packet of the publisher; packets of other payload types (a stray RTCP on the RTP channel,
     * padding probes) are ignored.
     *
     * @param packet read from position to limit, valid during the call only
     */
    synchronized void packet(ByteBuffer packet) {
        if (ended || !RtpHeader.isValid(packet) || RtpHeader.isRtcp(packet)
                || RtpHeader.payloadType(packet) != payloadType) {
            return;
        }
        if (jpeg != null) {
            Optional<ByteBuffer> image = jpeg.accept(packet);
            if (image.isPresent()) {
                frame(RtpHeader.timestamp(packet), true, image.get());
            }
        } else {
            Optional<H264Depacketizer.AccessUnit> unit = h264.accept(packet);
            if (unit.isPresent()) {
                H264Depacketizer.AccessUnit au = unit.get();
                frame(au.rtpTimestamp(), au.keyframe(), au.data());
            }
        }
    }

    private void frame(long rtpTimestamp, boolean keyframe, ByteBuffer data) {
        long nanos = presentation(rtpTimestamp);
        Frame frame = new Frame(info.codec(), index++, nanos, keyframe, data);
        if (keyframe) {
            complete(data);
        }
        keep(frame);
        FrameSink s = sink;
        if (s == null) {
            return;
        }
        if (awaitingKeyframe) {
            if (!keyframe) {
                return;
            }
            awaitingKeyframe = false;
        }
        s.onFrame(frame);
    }

    /** The RTP timestamp unwrapped to 64 bits, from the first packet, in nanoseconds; never earlier than the last. */
    private long presentation(long rtpTimestamp) {
        if (firstTicks < 0) {
            firstTicks = rtpTimestamp;
            ticks = 0;
        } else {
            ticks += (int) (rtpTimestamp - lastRtp);
        }
        lastRtp = rtpTimestamp;
        long nanos = ticks <= 0 ? 0 : ticks / clockRate * 1_000_000_000L + ticks % clockRate * 1_000_000_000L / clockRate;
        lastNanos = Math.max(lastNanos, nanos);
        return lastNanos;
    }

    /** Fills in from a keyframe what the SDP did not say: a JPEG's size, H.264 parameter sets and size. */
    private void complete(ByteBuffer keyframe) {
        MediaInfo now = info;
        if (now.codec() == Codec.JPEG && (now.width() == 0 || now.height() == 0)) {
            try {
                Jfif jfif = Jfif.parse(keyframe.duplicate());
                info = new MediaInfo(Codec.JPEG, jfif.width(), jfif.height(), now.frameRate(), null, List.of());
            } catch (JpegException e) {
                // The next keyframe may tell.
            }
        } else if (now.codec() == Codec.H264 && (now.parameterSets().isEmpty() || now.width() == 0)) {
            List<ByteBuffer> sets = now.parameterSets().isEmpty() ? AnnexB.parameterSets(keyframe.duplicate())
                    : now.parameterSets();
            if (sets.isEmpty()) {
                return;
            }
            int width = now.width();
            int height = now.height();
            try {
                SequenceParameterSet sps = SequenceParameterSet.parse(sets.get(0));
                width = sps.width();
                height = sps.height();
            } catch (RtpException e) {
                // Size unknown; the parameter sets are what viewers need.
            }
            info = new MediaInfo(Codec.H264, width, height, now.frameRate(), null, sets);
        }
    }

    private void keep(Frame frame) {
        if (frame.keyframe()) {
            gop.clear();
            gopBytes = 0;
            gopUsable = true;
        }
        if (!gopUsable) {
            return;
        }
        if (gop.size() >= GOP_MAX_FRAMES || gopBytes + frame.size() > GOP_MAX_BYTES) {
            gop.clear();
            gopUsable = false;
            return;
        }
        gop.add(frame);
        gopBytes += frame.size();
    }
}
