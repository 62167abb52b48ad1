package org.tributary.api;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a source offers: enough to describe it in SDP and to pace it.
 *
 * <p>Immutable; safe to share.
 *
 * @param codec the coding of every frame
 * @param width picture width in pixels, 0 when not known yet
 * @param height picture height in pixels, 0 when not known yet
 * @param frameRate nominal frames per second (pacing of sources without timestamps, SDP {@code a=framerate})
 * @param duration the length of an on-demand source; {@code null} for a live source
 * @param parameterSets codec parameters sent out of band; for H.264 the SPS and PPS NAL units without start
 *        codes, in that order; empty for JPEG
 */
public record MediaInfo(Codec codec, int width, int height, double frameRate, Duration duration,
        List<ByteBuffer> parameterSets) {

    public MediaInfo {
        Objects.requireNonNull(codec, "codec");
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("negative size " + width + "x" + height);
        }
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("frame rate must be positive: " + frameRate);
        }
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("negative duration " + duration);
        }
        parameterSets = parameterSets == null ? List.of()
                : parameterSets.stream().map(b -> b.slice().asReadOnlyBuffer()).toList();
    }

    /** Information about a JPEG source. */
    public static MediaInfo jpeg(int width, int height, double frameRate, Duration duration) {
        return new MediaInfo(Codec.JPEG, width, height, frameRate, duration, List.of());
    }

    /** Whether the source is live (one feed shared by all viewers, no duration, no seek). */
    public boolean live() {
        return duration == null;
    }

    /** The duration of an on-demand source; empty for a live one. */
    public Optional<Duration> length() {
        return Optional.ofNullable(duration);
    }

    /** The time between two frames at the nominal frame rate, in nanoseconds. */
    public long framePeriodNanos() {
        return Math.round(1_000_000_000d / frameRate);
    }

    /** Read-only views of the parameter sets; each call returns independent views. */
    @Override
    public List<ByteBuffer> parameterSets() {
        return parameterSets.stream().map(ByteBuffer::duplicate).toList();
    }
}
