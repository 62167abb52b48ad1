package org.tributary.api;

import java.util.Objects;

/**
 * A snapshot of a stream as the server publishes it. Immutable.
 *
 * @param name the stream's name, its RTSP path without leading slash
 * @param type the kind of source ({@link MediaSource#SOURCE_TYPE})
 * @param state its state now
 * @param reason why it is {@link StreamState#FAILED} or {@link StreamState#STOPPED}; empty otherwise
 * @param info what it offers
 * @param viewers the number of open playbacks
 */
public record StreamInfo(String name, String type, StreamState state, String reason, MediaInfo info, int viewers) {

    public StreamInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(info, "info");
        reason = reason == null ? "" : reason;
    }
}
