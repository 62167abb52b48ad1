package org.tributary.rtsp.server.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;

import org.tributary.api.Codec;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.h264.NalUnit;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtp.sdp.SessionDescription;

/**
 * What a publisher announced: one video track, JPEG (RFC 2435, payload type 26) or H.264 (RFC 6184, dynamic
 * payload type, packetization mode 0 or 1), and the {@link MediaInfo} of the live stream it becomes: size from
 * {@code a=x-dimensions} or the SPS of {@code sprop-parameter-sets} (0 until a keyframe tells, see
 * {@link PublishedSource}), frame rate from {@code a=framerate}, else {@value #DEFAULT_FRAME_RATE}.
 *
 * @param info the stream's media; always live
 * @param payloadType the track's payload type
 * @param clockRate the track's RTP clock rate (90000 for video)
 */
record PublishedMedia(MediaInfo info, int payloadType, int clockRate) {

    static final double DEFAULT_FRAME_RATE = 25;

    /**
     * Reads the announced session description.
     *
     * @throws IllegalArgumentException naming what was offered and what is accepted, for the 415 reason phrase
     */
    static PublishedMedia of(SessionDescription sdp) {
        List<MediaDescription> media = sdp.media();
        if (media.size() != 1) {
            throw new IllegalArgumentException("Publish one video track, JPEG or H264 (got " + media.size()
                    + " tracks; ffmpeg: add -an)");
        }
        MediaDescription m = media.get(0);
        Codec codec = m.codec().orElse(null);
        if (!"video".equalsIgnoreCase(m.type()) || codec == null) {
            String encoding = m.encodingName() == null ? "" : m.encodingName().toUpperCase(Locale.ROOT);
            throw new IllegalArgumentException("Publish JPEG or H264 video (got " + m.type() + " "
                    + (encoding.isEmpty() ? "payload type " + m.payloadType() : encoding) + ")");
        }
        String mode = m.formatParameters().getOrDefault("packetization-mode", "0").trim();
        if (codec == Codec.H264 && !mode.equals("0") && !mode.equals("1")) {
            throw new IllegalArgumentException("Publish H264 in packetization-mode 0 or 1 (got " + mode + ")");
        }
        double rate = m.frameRate();
        // MediaInfo holds SPS and PPS only; a publisher's sprop may carry other units too.
        List<ByteBuffer> sets = codec != Codec.H264 ? List.of()
                : m.parameterSets().stream().filter(PublishedMedia::isParameterSet).toList();
        MediaDescription.Dimensions size = m.dimensions();
        return new PublishedMedia(new MediaInfo(codec, size.width(), size.height(),
                rate > 0 ? rate : DEFAULT_FRAME_RATE, null, sets), m.payloadType(),
                m.clockRate() > 0 ? m.clockRate() : codec.clockRate());
    }

    private static boolean isParameterSet(ByteBuffer nal) {
        int type = NalUnit.type(nal);
        return type == NalUnit.SPS || type == NalUnit.PPS;
    }
}
