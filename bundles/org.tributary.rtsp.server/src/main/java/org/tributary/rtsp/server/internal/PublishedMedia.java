package org.tributary.rtsp.server.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.tributary.api.Codec;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.h264.SequenceParameterSet;
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
        String encoding = m.encodingName() == null ? "" : m.encodingName().toUpperCase(Locale.ROOT);
        Codec codec = null;
        for (Codec c : Codec.values()) {
            if (c.encodingName().equals(encoding)) {
                codec = c;
            }
        }
        if (!"video".equalsIgnoreCase(m.type()) || codec == null) {
            throw new IllegalArgumentException("Publish JPEG or H264 video (got " + m.type() + " "
                    + (encoding.isEmpty() ? "payload type " + m.payloadType() : encoding) + ")");
        }
        String mode = m.formatParameters().getOrDefault("packetization-mode", "0").trim();
        if (codec == Codec.H264 && !mode.equals("0") && !mode.equals("1")) {
            throw new IllegalArgumentException("Publish H264 in packetization-mode 0 or 1 (got " + mode + ")");
        }
        double rate = frameRate(m.attributes().get("framerate"));
        int width = 0;
        int height = 0;
        List<ByteBuffer> sets = List.of();
        if (codec == Codec.H264) {
            sets = parameterSets(m.formatParameters().get("sprop-parameter-sets"));
            if (!sets.isEmpty()) {
                try {
                    SequenceParameterSet sps = SequenceParameterSet.parse(sets.get(0));
                    width = sps.width();
                    height = sps.height();
                } catch (RtpException e) {
                    // The first keyframe's in-band SPS tells the size instead.
                }
            }
        } else {
            int[] size = dimensions(m.attributes().get("x-dimensions"));
            width = size[0];
            height = size[1];
        }
        return new PublishedMedia(new MediaInfo(codec, width, height, rate, null, sets), m.payloadType(),
                m.clockRate() > 0 ? m.clockRate() : codec.clockRate());
    }

    private static double frameRate(String value) {
        if (value != null) {
            try {
                double rate = Double.parseDouble(value.strip());
                if (rate > 0 && rate <= 1000) {
                    return rate;
                }
            } catch (NumberFormatException ignored) {
                // A malformed a=framerate is no frame rate.
            }
        }
        return DEFAULT_FRAME_RATE;
    }

    private static int[] dimensions(String value) {
        if (value != null) {
            String[] parts = value.split(",");
            if (parts.length == 2) {
                try {
                    int width = Integer.parseInt(parts[0].strip());
                    int height = Integer.parseInt(parts[1].strip());
                    if (width > 0 && height > 0) {
                        return new int[] {width, height};
                    }
                } catch (NumberFormatException ignored) {
                    // A malformed hint is no hint.
                }
            }
        }
        return new int[] {0, 0};
    }

    /** Base64 NAL units separated by commas (RFC 6184 §8.1); SPS and PPS only, what does not decode is left out. */
    private static List<ByteBuffer> parameterSets(String value) {
        List<ByteBuffer> sets = new ArrayList<>(2);
        if (value != null) {
            for (String part : value.split(",")) {
                try {
                    byte[] nal = Base64.getDecoder().decode(part.strip());
                    if (nal.length > 0 && ((nal[0] & 0x1F) == 7 || (nal[0] & 0x1F) == 8)) {
                        sets.add(ByteBuffer.wrap(nal));
                    }
                } catch (IllegalArgumentException ignored) {
                    // The keyframes carry the parameter sets too.
                }
            }
        }
        return sets;
    }
}
