package org.tributary.rtsp.client.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP-style authentication for RTSP (RFC 2617): learns a challenge from a 401 and then writes an
 * {@code Authorization} header for every later request. Digest is preferred over Basic when a server
 * offers both, because Basic sends the password readable.
 *
 * <p>Thread-safe.
 */
public final class Authenticator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String username;
    private final String password;
    private String scheme;
    private Map<String, String> challenge = Map.of();
    private int nonceCount;

    public Authenticator(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /**
     * Takes the {@code WWW-Authenticate} headers of a 401.
     *
     * @return whether one of them is a scheme this class can answer
     */
    public synchronized boolean challenge(List<String> wwwAuthenticate) {
        Map<String, String> basic = null;
        for (String value : wwwAuthenticate) {
            String v = value.strip();
            int space = v.indexOf(' ');
            String name = (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
            Map<String, String> params = parameters(space < 0 ? "" : v.substring(space + 1));
            if (name.equals("digest")) {
                String algorithm = params.getOrDefault("algorithm", "MD5");
                if (params.containsKey("nonce") && algorithm.equalsIgnoreCase("MD5")) {
                    scheme = "digest";
                    challenge = params;
                    nonceCount = 0;
                    return true;
                }
            } else if (name.equals("basic")) {
                basic = params;
            }
        }
        if (basic != null) {
            scheme = "basic";
            challenge = basic;
            return true;
        }
        return false;
    }

    /**
     * The {@code Authorization} value for a request, or {@code null} before any challenge.
     *
     * @param uri the request-URI exactly as the request line carries it
     */
    public String authorization(String method, String uri) {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        return authorization(method, uri, HexFormat.of().formatHex(random));
    }

    synchronized String authorization(String method, String uri, String cnonce) {
        if (scheme == null) {
            return null;
        }
        if (scheme.equals("basic")) {
            return "Basic " + Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        String realm = challenge.getOrDefault("realm", "");
        String nonce = challenge.get("nonce");
        String ha1 = md5(username + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        StringBuilder header = new StringBuilder("Digest username=\"").append(username)
                .append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce)
                .append("\", uri=\"").append(uri).append('"');
        String qop = challenge.get("qop");
        boolean auth = qop != null && List.of(qop.toLowerCase(Locale.ROOT).split("\\s*,\\s*")).contains("auth");
        if (auth) {
            String nc = String.format(Locale.ROOT, "%08x", ++nonceCount);
            header.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2))
                    .append("\", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append('"');
        } else {
            header.append(", response=\"").append(md5(ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (challenge.containsKey("opaque")) {
            header.append(", opaque=\"").append(challenge.get("opaque")).append('"');
        }
        if (challenge.containsKey("algorithm")) {
            header.append(", algorithm=").append(challenge.get("algorithm"));
        }
        return header.toString();
    }

    /** The {@code key=value} and {@code key="quoted, value"} pairs of a challenge, keys in lower case. */
    static Map<String, String> parameters(String text) {
        Map<String, String> params = new HashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && text.charAt(i) == '"') {
                i++;
                while (i < n && text.charAt(i) != '"') {
                    if (text.charAt(i) == '\\' && i + 1 < n) {
                        i++;
                    }
                    value.append(text.charAt(i++));
                }
                i++;
            } else {
                while (i < n && text.charAt(i) != ',') {
                    value.append(text.charAt(i++));
                }
            }
            params.putIfAbsent(key, value.toString().strip());
        }
        return params;
    }

    static String md5(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }
}
