package org.tributary.source.relay.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.tributary.api.Codec;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.SequenceParameterSet;
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.JpegException;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtp.sdp.SessionDescription;

/**
 * What the origin offers, read from its session description and completed from its first frames: the relayed
 * track (the first JPEG or H.264 video track, the one the RTSP client plays first) and its {@link MediaInfo}.
 * A relay is always live, whatever the origin is (a file on the origin plays to the relay as a live feed).
 *
 * @param track the index of the relayed track in the SDP's media list, as {@code ReceivedFrame.track()} counts
 * @param info codec from {@code a=rtpmap}; H.264 parameter sets from {@code sprop-parameter-sets}; size from the
 *        SPS or {@code a=x-dimensions}; frame rate from {@code a=framerate}, else {@value #DEFAULT_FRAME_RATE}
 * @param frameRateKnown whether the SDP said the frame rate (otherwise the first second of frames tells)
 */
record OriginMedia(int track, MediaInfo info, boolean frameRateKnown) {

    /** The frame rate assumed until the origin says or its frames show otherwise. */
    static final double DEFAULT_FRAME_RATE = 25;

    private static final System.Logger LOG = System.getLogger(OriginMedia.class.getName());

    /**
     * Reads the relayed track of a session description.
     *
     * @throws IOException naming what the SDP offers when it has no JPEG or H.264 video track
     */
    static OriginMedia of(SessionDescription sdp) throws IOException {
        List<String> found = new ArrayList<>();
        List<MediaDescription> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            Optional<Codec> codec = m.codec();
            if ("video".equalsIgnoreCase(m.type()) && codec.isPresent()) {
                return of(i, m, codec.get());
            }
            found.add(m.type() + " " + m.encodingName());
        }
        throw new IOException("the origin offers no JPEG or H.264 video track (found "
                + (found.isEmpty() ? "none" : String.join(", ", found)) + ")");
    }

    private static OriginMedia of(int track, MediaDescription m, Codec codec) {
        double rate = m.frameRate();
        List<ByteBuffer> sets = codec == Codec.H264 ? m.parameterSets() : List.of();
        MediaDescription.Dimensions size = m.dimensions();
        if (codec == Codec.H264 && !sets.isEmpty() && size.equals(MediaDescription.Dimensions.UNKNOWN)) {
            LOG.log(System.Logger.Level.DEBUG, "no readable SPS in sprop-parameter-sets");
        }
        return new OriginMedia(track, new MediaInfo(codec, size.width(), size.height(),
                rate > 0 ? rate : DEFAULT_FRAME_RATE, null, sets), rate > 0);
    }

    /**
     * The information completed from a keyframe when the SDP left it out: a JPEG's size from its header, H.264
     * parameter sets (and size) from the access unit. Returns {@code info} itself when nothing is missing or the
     * frame does not tell, so callers can compare by identity.
     */
    static MediaInfo completedBy(MediaInfo info, ByteBuffer keyframe) {
        if (info.codec() == Codec.JPEG && (info.width() == 0 || info.height() == 0)) {
            try {
                Jfif jfif = Jfif.parse(keyframe);
                return new MediaInfo(Codec.JPEG, jfif.width(), jfif.height(), info.frameRate(), null, List.of());
            } catch (JpegException e) {
                return info;
            }
        }
        if (info.codec() == Codec.H264 && info.parameterSets().isEmpty()) {
            List<ByteBuffer> sets = AnnexB.parameterSets(keyframe);
            if (sets.isEmpty()) {
                return info;
            }
            int width = info.width();
            int height = info.height();
            try {
                SequenceParameterSet sps = SequenceParameterSet.parse(sets.get(0));
                width = sps.width();
                height = sps.height();
            } catch (RtpException e) {
                LOG.log(System.Logger.Level.DEBUG, "unreadable in-band SPS: {0}", e.getMessage());
            }
            return new MediaInfo(Codec.H264, width, height, info.frameRate(), null, sets);
        }
        return info;
    }
}
