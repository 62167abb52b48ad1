package org.tributary.shell.internal;

import java.util.Locale;

/**
 * How the commands word what they print. A shell user reads one line per failure, so every message is
 * flattened to a single line and no exception ever reaches Gogo, which would offer a stack trace.
 */
final class Answers {

    static final String STREAMS_ABSENT = "the stream core is not running (bundle org.tributary.core)";
    static final String SESSIONS_ABSENT = "the RTSP server is not running (bundle org.tributary.rtsp.server)";

    private Answers() {
    }

    /** The message on one line; the fallback when there is none. */
    static String oneLine(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        return message.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    /** What an unexpected failure prints: its message, or its type when it has none. */
    static String error(RuntimeException e) {
        return "error: " + oneLine(e.getMessage(), e.getClass().getSimpleName());
    }

    /** A frame rate as a person writes it: {@code 25}, {@code 29.97}, {@code 12.5}. */
    static String frameRate(double fps) {
        if (fps == Math.rint(fps)) {
            return Long.toString((long) fps);
        }
        String s = String.format(Locale.ROOT, "%.2f", fps);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** {@code WIDTHxHEIGHT}, or {@code -} while the source has not told yet. */
    static String size(int width, int height) {
        return width == 0 || height == 0 ? "-" : width + "x" + height;
    }
}
