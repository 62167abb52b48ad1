package org.tributary.api;

/**
 * The coding of a stream's frames, with what RTP needs to name it.
 *
 * <p>Immutable; safe to share.
 */
public enum Codec {
    /** Baseline JPEG (JFIF) images, one whole image per frame. RTP: RFC 2435, static payload type 26. */
    JPEG("JPEG", 90_000, 26),
    /** H.264 access units in Annex B byte-stream form (start codes). RTP: RFC 6184, dynamic payload type. */
    H264("H264", 90_000, -1);

    private final String encodingName;
    private final int clockRate;
    private final int staticPayloadType;

    Codec(String encodingName, int clockRate, int staticPayloadType) {
        this.encodingName = encodingName;
        this.clockRate = clockRate;
        this.staticPayloadType = staticPayloadType;
    }

    /** The encoding name of the SDP {@code a=rtpmap} line, e.g. {@code JPEG}. */
    public String encodingName() {
        return encodingName;
    }

    /** The RTP clock rate in Hz. */
    public int clockRate() {
        return clockRate;
    }

    /** The static RTP payload type, or -1 when the codec uses a dynamic one (96-127). */
    public int staticPayloadType() {
        return staticPayloadType;
    }
}
