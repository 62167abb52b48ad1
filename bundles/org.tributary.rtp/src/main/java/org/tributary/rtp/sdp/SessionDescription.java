package org.tributary.rtp.sdp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A parsed SDP session description, as far as an RTSP client needs it. Immutable.
 *
 * @param name the {@code s=} line
 * @param duration the length of an on-demand presentation from the session {@code a=range}, {@code null}
 *        when live ({@code npt=now-}, an open range) or absent
 * @param control the session-level {@code a=control}, {@code null} when absent
 * @param media the {@code m=} sections in order
 */
public record SessionDescription(String name, Duration duration, String control, List<MediaDescription> media) {

    public SessionDescription {
        media = List.copyOf(Objects.requireNonNull(media, "media"));
    }
}
