package org.tributary.rtp.sdp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.tributary.api.Codec;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.h264.NalUnit;
import org.tributary.rtp.h264.SequenceParameterSet;

/**
 * One {@code m=} section of a parsed SDP. Immutable.
 *
 * <p>Besides its components it reads what Tributary needs to play the section: the {@link #codec()}, the H.264
 * {@link #parameterSets()}, the picture {@link #dimensions()} and the {@link #frameRate()}. These never fail:
 * what is absent or malformed reads as unknown.
 *
 * @param type the media type, e.g. {@code video}
 * @param payloadType the first payload type of the {@code m=} line, -1 if it is not a number
 * @param encodingName from {@code a=rtpmap} of that payload type (or the static assignment of RFC 3551),
 *        {@code null} when unknown
 * @param clockRate from the same source, 0 when unknown
 * @param control the media-level {@code a=control}, {@code null} when absent
 * @param formatParameters the {@code a=fmtp} parameters of that payload type, in order
 * @param attributes every {@code a=} attribute of the section by name (first occurrence wins; a flag
 *        attribute maps to the empty string), in order
 */
public record MediaDescription(String type, int payloadType, String encodingName, int clockRate, String control,
        Map<String, String> formatParameters, Map<String, String> attributes) {

    /** The highest {@code a=framerate} taken as meant; more is a typo or a unit mix-up. */
    private static final double MAX_FRAME_RATE = 1000;

    public MediaDescription {
        formatParameters = Collections.unmodifiableMap(new LinkedHashMap<>(formatParameters));
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /**
     * A picture size in pixels.
     *
     * @param width 0 when not known
     * @param height 0 when not known
     */
    public record Dimensions(int width, int height) {

        /** The size of a section that does not tell it. */
        public static final Dimensions UNKNOWN = new Dimensions(0, 0);
    }

    /**
     * The Tributary codec the encoding name stands for, compared without regard to case; empty when the
     * encoding name is unknown or no codec of Tributary's.
     */
    public Optional<Codec> codec() {
        if (encodingName == null) {
            return Optional.empty();
        }
        String name = encodingName.toUpperCase(Locale.ROOT);
        for (Codec c : Codec.values()) {
            if (c.encodingName().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * The NAL units (without start codes) of the H.264 {@code sprop-parameter-sets} format parameter, base64
     * separated by commas (RFC 6184 §8.1), in order: usually the SPS then the PPS. A unit that is not base64 or
     * is empty is left out, and so an absent or broken parameter gives an empty list; the keyframes of a stream
     * usually carry the parameter sets in-band too.
     *
     * @return a new list of new, writable buffers on each call
     */
    public List<ByteBuffer> parameterSets() {
        String value = formatParameters.get("sprop-parameter-sets");
        if (value == null) {
            return List.of();
        }
        List<ByteBuffer> sets = new ArrayList<>(2);
        for (String part : value.split(",")) {
            try {
                byte[] nal = Base64.getDecoder().decode(part.strip());
                if (nal.length > 0) {
                    sets.add(ByteBuffer.wrap(nal));
                }
            } catch (IllegalArgumentException notBase64) {
                // One broken unit does not spoil the others.
            }
        }
        return sets;
    }

    /**
     * The picture size the section announces. For H.264 it comes from the first SPS of
     * {@link #parameterSets()}, which is what decoders go by; for other codecs from {@code a=x-dimensions:<width>,
     * <height>}, the hint senders of JPEG give for pictures larger than RTP/JPEG's 2040 pixels. Both values
     * are positive, or the result is {@link Dimensions#UNKNOWN} when the section does not tell or the SPS or
     * hint cannot be read.
     */
    public Dimensions dimensions() {
        if (codec().orElse(null) == Codec.H264) {
            for (ByteBuffer nal : parameterSets()) {
                if (NalUnit.type(nal) == NalUnit.SPS) {
                    try {
                        SequenceParameterSet sps = SequenceParameterSet.parse(nal);
                        return sps.width() > 0 && sps.height() > 0 ? new Dimensions(sps.width(), sps.height())
                                : Dimensions.UNKNOWN;
                    } catch (RtpException unreadable) {
                        return Dimensions.UNKNOWN;
                    }
                }
            }
            return Dimensions.UNKNOWN;
        }
        String value = attributes.get("x-dimensions");
        if (value != null) {
            String[] parts = value.split(",");
            if (parts.length == 2) {
                try {
                    int width = Integer.parseInt(parts[0].strip());
                    int height = Integer.parseInt(parts[1].strip());
                    if (width > 0 && height > 0) {
                        return new Dimensions(width, height);
                    }
                } catch (NumberFormatException malformed) {
                    // A malformed hint is no hint.
                }
            }
        }
        return Dimensions.UNKNOWN;
    }

    /**
     * The nominal frames per second of {@code a=framerate}, or 0 when the attribute is absent, not a number, or
     * not in (0, 1000].
     */
    public double frameRate() {
        String value = attributes.get("framerate");
        if (value != null) {
            try {
                double rate = Double.parseDouble(value.strip());
                if (rate > 0 && rate <= MAX_FRAME_RATE) {
                    return rate;
                }
            } catch (NumberFormatException malformed) {
                // A malformed a=framerate is no frame rate.
            }
        }
        return 0;
    }
}
