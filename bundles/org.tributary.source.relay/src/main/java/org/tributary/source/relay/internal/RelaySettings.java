package org.tributary.source.relay.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.RtspClientOptions;

/**
 * What one relay is: its stream, its origin and how it pulls from it. Immutable.
 *
 * @param name the stream name
 * @param url the origin's URL as configured, credentials included
 * @param transport how RTP comes from the origin
 * @param onDemand whether the origin is pulled only between {@code start} and {@code stop}
 * @param reconnectDelaySeconds the first wait after a failed connection, doubled after each failure up to
 *        {@value #MAX_RECONNECT_DELAY_SECONDS} s
 * @param connectTimeoutSeconds how long opening the connection may take; a request may take twice as long
 */
record RelaySettings(String name, String url, LowerTransport transport, boolean onDemand, int reconnectDelaySeconds,
        int connectTimeoutSeconds) {

    /** The longest wait between two connection attempts. */
    static final int MAX_RECONNECT_DELAY_SECONDS = 30;

    RelaySettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        origin(url);
        if (reconnectDelaySeconds < 1) {
            throw new IllegalArgumentException("setting 'reconnectDelaySeconds' must be at least 1, got " + reconnectDelaySeconds);
        }
        if (connectTimeoutSeconds < 1) {
            throw new IllegalArgumentException("setting 'connectTimeoutSeconds' must be at least 1, got " + connectTimeoutSeconds);
        }
    }

    /** Reads a configured transport: {@code TCP} or {@code UDP}, any case; empty means TCP. */
    static LowerTransport transport(String value) {
        String v = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        return switch (v) {
            case "", "TCP" -> LowerTransport.TCP;
            case "UDP" -> LowerTransport.UDP;
            default -> throw new IllegalArgumentException("setting 'transport' must be TCP or UDP, not '" + value + "'");
        };
    }

    /**
     * The origin's URL as people may see it (logs, the stream's reason): without user and password.
     *
     * @throws IllegalArgumentException if {@code url} is not an rtsp URL with a host; the message names the setting
     */
    static String origin(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("setting 'url' is empty; set it to rtsp://host[:port]/path");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("setting 'url' is not a URL (" + e.getReason() + "); write rtsp://host[:port]/path");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("rtsps")) {
            throw new IllegalArgumentException("setting 'url' is rtsps://, which the relay cannot pull (no TLS); "
                    + "use the origin's rtsp:// URL");
        }
        if (!scheme.equals("rtsp")) {
            throw new IllegalArgumentException("setting 'url' must be rtsp://[user:password@]host[:port]/path, not '"
                    + withoutCredentials(url.strip()) + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("setting 'url' has no host: '" + withoutCredentials(url.strip())
                    + "'; write rtsp://host[:port]/path");
        }
        return "rtsp://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /** The origin's URL without credentials. */
    String origin() {
        return origin(url);
    }

    /** The wait before attempt number {@code failures + 1} after {@code failures} failed ones, in milliseconds. */
    long reconnectDelayMillis(int failures) {
        long seconds = reconnectDelaySeconds;
        for (int i = 1; i < failures && seconds < MAX_RECONNECT_DELAY_SECONDS; i++) {
            seconds *= 2;
        }
        return Math.min(seconds, MAX_RECONNECT_DELAY_SECONDS) * 1000L;
    }

    /** The client's options for one connection to the origin. */
    RtspClientOptions clientOptions() {
        return RtspClientOptions.builder().transport(transport)
                .connectTimeout(Duration.ofSeconds(connectTimeoutSeconds))
                .readTimeout(Duration.ofSeconds(2L * connectTimeoutSeconds))
                .userAgent("Tributary relay (stream " + name.replaceAll("[\\r\\n]", "") + ")")
                .build();
    }

    // Only for messages about a URL that does not parse: hide whatever looks like user information.
    private static String withoutCredentials(String text) {
        int at = text.lastIndexOf('@');
        int scheme = text.indexOf("://");
        return at > scheme && scheme >= 0 ? text.substring(0, scheme + 3) + "…" + text.substring(at) : text;
    }
}
