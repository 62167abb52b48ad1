package org.tributary.viewer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The streams a Tributary server lists at {@code GET http://host:port/api/streams}, as RTSP URLs. Tolerant by
 * design: the list is a convenience, so a server without the REST API, an unreachable one, or an answer it cannot
 * read all give an empty list, never an error.
 */
public final class StreamCatalog {

    /** The HTTP port of a Tributary server with no configuration. */
    public static final int DEFAULT_HTTP_PORT = 8080;

    private static final int MAX_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private StreamCatalog() {
    }

    /**
     * The RTSP URLs of the streams listed by the server that serves {@code rtspUrl}, on the same host and RTSP
     * port; empty if there is no answer within the timeout.
     */
    public static List<String> streamUrls(String rtspUrl, int httpPort, Duration timeout) {
        URI rtsp;
        try {
            rtsp = URI.create(rtspUrl.strip());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        String host = rtsp.getHost();
        if (host == null) {
            return List.of();
        }
        int rtspPort = rtsp.getPort() < 0 ? 554 : rtsp.getPort();
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        List<String> urls = new ArrayList<>();
        for (String name : names(fetch("http://" + hostPart + ":" + httpPort + "/api/streams", timeout))) {
            urls.add("rtsp://" + hostPart + ":" + rtspPort + "/" + name);
        }
        return urls;
    }

    /**
     * The stream names in the REST answer: every {@code "name": "..."} member, or, for a plain array of strings,
     * the strings.
     */
    static List<String> names(String json) {
        if (json == null) {
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(json);
        while (m.find()) {
            names.add(unescape(m.group(1)));
        }
        if (names.isEmpty() && json.strip().startsWith("[")) {
            Matcher s = STRING.matcher(json);
            while (s.find()) {
                names.add(unescape(s.group(1)));
            }
        }
        names.removeIf(String::isBlank);
        return List.copyOf(names);
    }

    private static String fetch(String address, Duration timeout) {
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) new URL(address).openConnection();
            c.setConnectTimeout((int) timeout.toMillis());
            c.setReadTimeout((int) timeout.toMillis());
            c.setRequestProperty("Accept", "application/json");
            if (c.getResponseCode() != 200) {
                return null;
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\/", "/").replace("\\\\", "\\");
    }
}
