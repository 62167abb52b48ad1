package org.tributary.rtsp.server.internal;

import java.util.List;

/**
 * One RTSP request as {@link RtspDecoder} read it. Immutable; holds no reference-counted buffer.
 *
 * @param method the method as sent (RTSP methods are case-sensitive)
 * @param uri the request URI exactly as sent: absolute ({@code rtsp://h/p}), a path, {@code *}, or the
 *        classic lab client's bare file name
 * @param version the protocol version token, e.g. {@code RTSP/1.0}
 * @param headerNames header names in the client's order
 * @param headerValues header values, trimmed, index-aligned with the names
 * @param body the body, empty when there is none
 * @param bareLineFeeds whether the client ended its lines with {@code \n} alone
 */
record RtspRequest(String method, String uri, String version, List<String> headerNames, List<String> headerValues,
        byte[] body, boolean bareLineFeeds) {

    /** The value of the first header of that name (case-insensitive), or {@code null}. */
    String header(String name) {
        for (int i = 0; i < headerNames.size(); i++) {
            if (headerNames.get(i).equalsIgnoreCase(name)) {
                return headerValues.get(i);
            }
        }
        return null;
    }

    /** The CSeq as sent, or {@code null}. */
    String cseq() {
        return header("CSeq");
    }

    /** The session id of the {@code Session} header without its parameters, or {@code null}. */
    String sessionId() {
        String value = header("Session");
        if (value == null) {
            return null;
        }
        int semicolon = value.indexOf(';');
        String id = (semicolon < 0 ? value : value.substring(0, semicolon)).trim();
        return id.isEmpty() ? null : id;
    }

    /**
     * Whether the request comes from the classic lab client, which names the stream by a bare file name
     * instead of a URL (PROTOCOL.md §1).
     */
    boolean bareUri() {
        return isBareUri(uri);
    }

    static boolean isBareUri(String uri) {
        return !uri.isEmpty() && !uri.equals("*") && !uri.startsWith("/")
                && !uri.regionMatches(true, 0, "rtsp://", 0, 7) && !uri.regionMatches(true, 0, "rtsps://", 0, 8)
                && !uri.regionMatches(true, 0, "rtspu://", 0, 8);
    }
}
