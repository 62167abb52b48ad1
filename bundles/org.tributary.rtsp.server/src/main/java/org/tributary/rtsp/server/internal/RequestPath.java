package org.tributary.rtsp.server.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * What a request URI names: a stream and, after it, a track control ({@code trackID=0}) or nothing.
 * Matching is lenient (PROTOCOL.md §3): scheme, host, port and query are ignored, repeated and trailing
 * slashes do not count, and a bare file name (the lab client) is a path.
 *
 * @param stream the stream's name
 * @param control what follows the name, without slashes; empty for the aggregate URL
 */
record RequestPath(String stream, String control) {

    /** The path of a request URI without scheme, authority, query or leading and trailing slashes. */
    static String pathOf(String uri) {
        String path = uri;
        int scheme = path.indexOf("://");
        if (scheme > 0 && scheme < 8) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : path.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.indexOf('%') >= 0) {
            try {
                path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // A stray '%' is taken literally: the name may contain one.
            }
        }
        int begin = 0;
        int end = path.length();
        while (begin < end && path.charAt(begin) == '/') {
            begin++;
        }
        while (end > begin && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(begin, end);
    }

    /**
     * Resolves {@code uri} against the known streams: the longest stream name that is the whole path or
     * ends at a {@code /} of it wins, and the rest is the track control.
     *
     * @return the match, or {@code null} if no stream name prefixes the path
     */
    static RequestPath resolve(String uri, Predicate<String> streamExists) {
        String path = pathOf(uri);
        if (path.isEmpty()) {
            return null;
        }
        int end = path.length();
        while (end > 0) {
            String candidate = trimSlashes(path.substring(0, end));
            if (!candidate.isEmpty() && streamExists.test(candidate)) {
                return new RequestPath(candidate, trimSlashes(path.substring(end)));
            }
            end = path.lastIndexOf('/', end - 1);
        }
        return null;
    }

    /** The {@code rtsp://host:port} a client used, or {@code null} for a relative URI. */
    static String authorityOf(String uri) {
        if (!uri.regionMatches(true, 0, "rtsp://", 0, 7)) {
            return null;
        }
        int slash = uri.indexOf('/', 7);
        String authority = slash < 0 ? uri.substring(7) : uri.substring(7, slash);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        if (authority.isEmpty()) {
            return null;
        }
        try {
            URI.create("rtsp://" + authority + "/");
        } catch (IllegalArgumentException e) {
            return null;
        }
        return "rtsp://" + authority;
    }

    private static String trimSlashes(String s) {
        int begin = 0;
        int end = s.length();
        while (begin < end && s.charAt(begin) == '/') {
            begin++;
        }
        while (end > begin && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(begin, end);
    }
}
