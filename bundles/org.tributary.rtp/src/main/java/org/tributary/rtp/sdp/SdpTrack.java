package org.tributary.rtp.sdp;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

import org.tributary.api.Codec;

/**
 * One media track as {@link SdpWriter} describes it. Immutable.
 *
 * @param codec the coding, which gives the encoding name and clock rate
 * @param payloadType the RTP payload type (26 for JPEG, 96..127 for H.264)
 * @param control the track's control URL relative to the RTSP Content-Base, e.g. {@code trackID=0}
 * @param width picture width, 0 when not known
 * @param height picture height, 0 when not known
 * @param frameRate nominal frames per second, 0 when not known
 * @param parameterSets H.264: the SPS then the PPS (and any further PPS), NAL units without start codes;
 *        empty otherwise
 */
public record SdpTrack(Codec codec, int payloadType, String control, int width, int height, double frameRate,
        List<ByteBuffer> parameterSets) {

    public SdpTrack {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(control, "control");
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type must be 0..127: " + payloadType);
        }
        parameterSets = parameterSets == null ? List.of()
                : parameterSets.stream().map(b -> b.slice().asReadOnlyBuffer()).toList();
    }

    /** Read-only views of the parameter sets; each call returns independent views. */
    @Override
    public List<ByteBuffer> parameterSets() {
        return parameterSets.stream().map(ByteBuffer::duplicate).toList();
    }
}
