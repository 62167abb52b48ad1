package org.tributary.rtsp.server.internal;

import java.time.Duration;
import java.util.Locale;

/**
 * The {@code npt} form of an RTSP {@code Range} header (RFC 2326 §3.6, §12.29): {@code npt=X-},
 * {@code npt=X-Y}, {@code npt=now-}, with X and Y in seconds ({@code 12.5}) or {@code h:mm:ss.fff}.
 *
 * @param start where to start; {@code null} for {@code now} (go on from where the stream is)
 * @param end where to stop, or {@code null} for the end
 */
record NptRange(Duration start, Duration end) {

    /**
     * Parses a Range header value.
     *
     * @throws IllegalArgumentException if it is not an npt range this server reads
     */
    static NptRange parse(String header) {
        String value = header.trim();
        int semicolon = value.indexOf(';');
        if (semicolon >= 0) {
            value = value.substring(0, semicolon).trim();
        }
        if (!value.regionMatches(true, 0, "npt", 0, 3)) {
            throw new IllegalArgumentException("not an npt range: " + header);
        }
        value = value.substring(3).trim();
        if (!value.startsWith("=")) {
            throw new IllegalArgumentException("not an npt range: " + header);
        }
        value = value.substring(1).trim();
        int dash = value.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("npt range without '-': " + header);
        }
        String from = value.substring(0, dash).trim();
        String to = value.substring(dash + 1).trim();
        Duration start = from.isEmpty() || from.equalsIgnoreCase("now") ? null : time(from);
        Duration end = to.isEmpty() ? null : time(to);
        if (start != null && end != null && end.compareTo(start) < 0) {
            throw new IllegalArgumentException("npt range ends before it starts: " + header);
        }
        return new NptRange(start, end);
    }

    private static Duration time(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw new IllegalArgumentException("bad npt time: " + text);
        }
        double seconds = 0;
        for (String part : parts) {
            if (part.isEmpty() || !part.matches("[0-9]{1,9}(\\.[0-9]{0,9})?")) {
                throw new IllegalArgumentException("bad npt time: " + text);
            }
            seconds = seconds * 60 + Double.parseDouble(part);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    /** Seconds with millisecond precision, as npt writes them: {@code 12.345}. */
    static String format(Duration time) {
        return String.format(Locale.ROOT, "%.3f", time.toNanos() / 1e9);
    }
}
