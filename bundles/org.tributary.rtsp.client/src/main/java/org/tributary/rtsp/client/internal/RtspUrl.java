package org.tributary.rtsp.client.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An {@code rtsp://[user:pass@]host[:port]/path} URL split into what goes on the wire (the URL without
 * credentials) and the credentials. Immutable.
 */
public record RtspUrl(String host, int port, String requestUrl, String username, String password) {

    public static final int DEFAULT_PORT = 554;

    /** @throws IllegalArgumentException if the text is not an rtsp URL with a host */
    public static RtspUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url + " (" + e.getReason() + ")", e);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !scheme.toLowerCase(Locale.ROOT).equals("rtsp")) {
            throw new IllegalArgumentException("not an rtsp:// URL: " + url);
        }
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String user = null;
        String pass = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            pass = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        String hostPart = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        StringBuilder request = new StringBuilder("rtsp://").append(hostPart);
        if (uri.getPort() >= 0) {
            request.append(':').append(uri.getPort());
        }
        String path = uri.getRawPath();
        request.append(path == null || path.isEmpty() ? "/" : path);
        if (uri.getRawQuery() != null) {
            request.append('?').append(uri.getRawQuery());
        }
        return new RtspUrl(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port,
                request.toString(), user, pass);
    }

    /**
     * Resolves an SDP {@code a=control} value against a base URL (RFC 2326 §C.1.1): absolute values stay,
     * {@code *} or nothing means the base itself, a relative value is appended to the base. The base is
     * treated as a directory even without a trailing slash, as FFmpeg, live555 and GStreamer do, because
     * servers write {@code Content-Base} both ways.
     */
    public static String resolve(String base, String control) {
        if (control == null || control.isBlank() || control.strip().equals("*")) {
            return base;
        }
        String c = control.strip();
        int colon = c.indexOf(':');
        int slash = c.indexOf('/');
        if (colon > 0 && (slash < 0 || colon < slash)) {
            return c;
        }
        if (c.startsWith("/")) {
            URI b = URI.create(base);
            return b.getScheme() + "://" + b.getRawAuthority() + c;
        }
        return base.endsWith("/") ? base + c : base + "/" + c;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
