package org.tributary.rtsp.server.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One transport specification of an RTSP {@code Transport} header (RFC 2326 §12.39), with its profile
 * normalized: {@code RTP/AVP}, {@code RTP/AVP/UDP} and the lab client's {@code RTP/UDP} become
 * {@code RTP/AVP}; {@code RTP/AVP/TCP} stays.
 *
 * @param profile the normalized profile
 * @param requestedProfile the profile as the client wrote it
 * @param parameters parameter names in lower case, in the client's order; flags have an empty value
 */
record TransportSpec(String profile, String requestedProfile, Map<String, String> parameters) {

    static final String UDP = "RTP/AVP";
    static final String TCP = "RTP/AVP/TCP";

    /** At most this many specifications are read from one header; the rest are ignored. */
    static final int MAX_SPECS = 16;

    /** The specifications of a {@code Transport} header in the client's order; unreadable ones are skipped. */
    static List<TransportSpec> parseHeader(String header) {
        if (header == null) {
            return List.of();
        }
        List<TransportSpec> specs = new ArrayList<>(2);
        for (String part : header.split(",")) {
            if (specs.size() == MAX_SPECS) {
                break;
            }
            String[] items = part.split(";");
            String requested = items[0].trim();
            if (requested.isEmpty()) {
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 1; i < items.length; i++) {
                String item = items[i].trim();
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String name = (eq < 0 ? item : item.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : unquote(item.substring(eq + 1).trim());
                parameters.putIfAbsent(name, value);
            }
            specs.add(new TransportSpec(normalize(requested), requested, Collections.unmodifiableMap(parameters)));
        }
        return specs;
    }

    /** Whether the client is the classic lab client, which alone writes {@code RTP/UDP}. */
    boolean labProfile() {
        return requestedProfile.equalsIgnoreCase("RTP/UDP");
    }

    static String normalize(String profile) {
        String p = profile.toUpperCase(Locale.ROOT).replace(" ", "");
        return switch (p) {
            case "RTP/AVP", "RTP/AVP/UDP", "RTP/UDP" -> UDP;
            case "RTP/AVP/TCP" -> TCP;
            default -> p;
        };
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
