package org.tributary.source.gstreamer.internal;

import java.util.Objects;

import org.tributary.api.Codec;

/**
 * What one GStreamer source is: its stream, its pipeline and how it recovers.
 *
 * @param name the stream name
 * @param pipeline the configured pipeline in gst-launch syntax, ending in the element that produces the frames
 * @param codec what the pipeline produces
 * @param frameRate the nominal frame rate until the pipeline's caps say otherwise
 * @param restartDelaySeconds the first wait before a restart, doubled after each failed attempt up to
 *        {@value #MAX_RESTART_DELAY_SECONDS} s; 0 or less turns restarts off
 * @param restartAttempts how many restarts in a row may fail before the source gives up
 * @param onEos what the end of the pipeline's stream does
 * @param probe whether an H.264 source runs its pipeline once at activation to learn SPS and PPS for SDP
 */
record SourceSettings(String name, String pipeline, Codec codec, double frameRate, int restartDelaySeconds,
        int restartAttempts, EosAction onEos, boolean probe) {

    /** The longest wait between two restarts. */
    static final int MAX_RESTART_DELAY_SECONDS = 30;

    /** What the end of a pipeline's stream does. */
    enum EosAction {
        /** Restart a live pipeline (a camera that went away), end a non-live one (a file played out). */
        AUTO,
        /** Start the pipeline again: a file loops, a live source reconnects. */
        RESTART,
        /** End the feed with {@code END_OF_MEDIA}. */
        END;

        /** Reads a configuration value: {@code auto}, {@code true} (restart) or {@code false} (end). */
        static EosAction parse(String value) {
            String v = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
            return switch (v) {
                case "", "auto" -> AUTO;
                case "true", "restart" -> RESTART;
                case "false", "end" -> END;
                default -> throw new IllegalArgumentException("setting 'restartOnEos' must be auto, true or false, not '" + value + "'");
            };
        }

        boolean restarts(boolean live) {
            return this == RESTART || this == AUTO && live;
        }
    }

    SourceSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pipeline, "pipeline");
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(onEos, "onEos");
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("frameRate must be positive: " + frameRate);
        }
        restartAttempts = Math.max(0, restartAttempts);
    }

    /** The wait before restart number {@code attempt} (0 for the first), in milliseconds. */
    long restartDelayMillis(int attempt) {
        long seconds = restartDelaySeconds;
        for (int i = 0; i < attempt && seconds < MAX_RESTART_DELAY_SECONDS; i++) {
            seconds *= 2;
        }
        return Math.min(seconds, MAX_RESTART_DELAY_SECONDS) * 1000L;
    }

    /** Whether a failed pipeline is started again at all. */
    boolean restarts() {
        return restartDelaySeconds > 0 && restartAttempts > 0;
    }
}
