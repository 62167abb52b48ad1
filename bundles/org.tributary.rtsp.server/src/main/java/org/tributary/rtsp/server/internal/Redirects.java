package org.tributary.rtsp.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paths whose clients are sent to another server (setting {@code redirects}, entries {@code path=url}): a
 * request for the path, or for anything under it (a track), that carries no session answers
 * {@code 302 Moved Temporarily} with {@code Location: url}. FFmpeg and GStreamer then connect to that URL and
 * play from there, the basis of spreading viewers across servers. Sessions already open are left alone.
 *
 * <p>Immutable and thread-safe.
 */
final class Redirects {

    static final Redirects NONE = new Redirects(Map.of());

    private static final Logger LOG = LoggerFactory.getLogger(Redirects.class);

    private final Map<String, String> locations;

    private Redirects(Map<String, String> locations) {
        this.locations = Map.copyOf(locations);
    }

    /** Reads {@code path=url} entries; an entry without both, or whose URL is not rtsp://, is skipped with a warning. */
    static Redirects parse(String[] entries) {
        Map<String, String> map = new LinkedHashMap<>();
        if (entries != null) {
            for (String entry : entries) {
                if (entry == null || entry.isBlank()) {
                    continue;
                }
                int eq = entry.indexOf('=');
                String path = eq < 0 ? "" : RequestPath.pathOf(entry.substring(0, eq).trim());
                String url = eq < 0 ? "" : entry.substring(eq + 1).trim();
                if (path.isEmpty() || !url.regionMatches(true, 0, "rtsp://", 0, 7)) {
                    LOG.warn("Ignoring redirect '{}' in configuration {}: write path=rtsp://host:port/path",
                            entry, RtspServerComponent.PID);
                    continue;
                }
                map.put(path, url);
            }
        }
        return map.isEmpty() ? NONE : new Redirects(map);
    }

    /** Where a request for {@code uri} is sent, or {@code null} when its path is not redirected. */
    String location(String uri) {
        if (locations.isEmpty() || uri.equals("*")) {
            return null;
        }
        String path = RequestPath.pathOf(uri);
        String found = null;
        int longest = -1;
        for (Map.Entry<String, String> e : locations.entrySet()) {
            String key = e.getKey();
            if ((path.equals(key) || path.startsWith(key + "/")) && key.length() > longest) {
                found = e.getValue();
                longest = key.length();
            }
        }
        return found;
    }
}
