package org.tributary.rtsp.server.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may publish a stream where: the {@code publishing} mode, the publishing credentials and the paths allowed
 * (configuration {@value RtspServerComponent#PID}). Asked once per publication, at ANNOUNCE; the SETUP and RECORD
 * that follow must come on the same connection, so they need no credentials of their own.
 *
 * <ul>
 * <li>{@code off}: nobody publishes (403).</li>
 * <li>{@code loopback} (the default): clients on this machine publish without credentials; others need the
 * publishing credentials, and are refused (403) while none are set.</li>
 * <li>{@code password}: everyone needs the publishing credentials.</li>
 * <li>{@code anyone}: nobody needs credentials.</li>
 * </ul>
 *
 * <p>Credentials go in the {@code Authorization} header, Digest (RFC 2617, MD5, with or without
 * {@code qop=auth}) or Basic; a request without valid ones answers 401 with a challenge for both, Digest first,
 * which FFmpeg and GStreamer answer with the credentials of their URL. A nonce is the time it was made and a MAC
 * of it under a key this object draws at random, so it needs no table and is good for {@value #NONCE_SECONDS} s;
 * a stale one answers 401 with {@code stale=true}. Viewers never need credentials.
 *
 * <p>Immutable and thread-safe.
 */
final class PublishAccess {

    /** The modes of the {@code publishing} setting. */
    enum Mode {
        OFF, LOOPBACK, PASSWORD, ANYONE
    }

    static final String REALM = "Tributary";

    /** How long a nonce is accepted after it was handed out. */
    static final long NONCE_SECONDS = 600;

    /** Loopback clients publish anywhere, others not at all: the default. */
    static final PublishAccess LOOPBACK_ONLY = new PublishAccess(Mode.LOOPBACK, "", "", List.of("*"));

    /** Nobody publishes. */
    static final PublishAccess OFF = new PublishAccess(Mode.OFF, "", "", List.of("*"));

    private static final Logger LOG = LoggerFactory.getLogger(PublishAccess.class);

    private final Mode mode;
    private final String user;
    private final String password;
    private final List<String> paths;
    private final List<Pattern> patterns;
    private final byte[] key = new byte[32];

    PublishAccess(Mode mode, String user, String password, List<String> paths) {
        this.mode = mode;
        this.user = user == null ? "" : user;
        this.password = password == null ? "" : password;
        this.paths = List.copyOf(paths);
        List<Pattern> compiled = new ArrayList<>(paths.size());
        for (String glob : paths) {
            compiled.add(glob(glob));
        }
        this.patterns = List.copyOf(compiled);
        new SecureRandom().nextBytes(key);
    }

    /** Reads the configuration; an unknown mode means {@code off}, with a warning saying so. */
    static PublishAccess of(String mode, String user, String password, String[] paths) {
        Mode m;
        try {
            m = Mode.valueOf((mode == null ? "" : mode.trim()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warn("Unknown publishing mode '{}' in configuration {}: publishing is off. Use off, loopback, "
                    + "password or anyone.", mode, RtspServerComponent.PID);
            m = Mode.OFF;
        }
        List<String> globs = new ArrayList<>();
        if (paths != null) {
            for (String p : paths) {
                String trimmed = p == null ? "" : RequestPath.pathOf(p.trim());
                if (!trimmed.isEmpty()) {
                    globs.add(trimmed);
                }
            }
        }
        return new PublishAccess(m, user, password, globs);
    }

    Mode mode() {
        return mode;
    }

    /**
     * Whether a client is on this machine: 127.0.0.0/8, {@code ::1}, or an IPv4 loopback address in its
     * IPv4-mapped IPv6 form ({@code ::ffff:127.0.0.1}, as a dual-stack socket may name an IPv4 client).
     */
    static boolean isLoopback(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        if (peer.isLoopbackAddress()) {
            return true;
        }
        byte[] b = peer.getAddress();
        if (b.length != 16 || b[10] != (byte) 0xFF || b[11] != (byte) 0xFF || b[12] != 127) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code request} (an ANNOUNCE from {@code peer}) may publish at {@code path}.
     *
     * @return {@code null} when it may, otherwise the reply: 403 with the reason, or 401 with a challenge
     */
    RtspResponse check(RtspRequest request, InetAddress peer, String path) {
        if (mode == Mode.OFF) {
            return new RtspResponse(RtspStatus.FORBIDDEN, "Publishing is off (publishing in configuration "
                    + RtspServerComponent.PID + ")");
        }
        if (!allowedPath(path)) {
            return new RtspResponse(RtspStatus.FORBIDDEN, "Publishing at '" + path + "' is not allowed (publishPaths "
                    + paths + " in configuration " + RtspServerComponent.PID + ")");
        }
        if (mode == Mode.ANYONE || mode == Mode.LOOPBACK && isLoopback(peer)) {
            return null;
        }
        if (user.isEmpty() || password.isEmpty()) {
            return new RtspResponse(RtspStatus.FORBIDDEN, "Publishing from " + (peer == null ? "this client"
                    : RtspService.hostLiteral(peer)) + " needs credentials and none are set (publishUser and "
                    + "publishPassword in configuration " + RtspServerComponent.PID + ")");
        }
        String authorization = request.header("Authorization");
        Verdict verdict = authorization == null ? Verdict.MISSING : verify(authorization, request.method());
        if (verdict == Verdict.GOOD) {
            return null;
        }
        if (verdict == Verdict.WRONG) {
            LOG.info("Publishing at '{}' from {} refused: wrong credentials", path,
                    peer == null ? "?" : peer.getHostAddress());
        }
        return challenge(verdict == Verdict.STALE);
    }

    private boolean allowedPath(String path) {
        for (Pattern p : patterns) {
            if (p.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (regex.length() > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private RtspResponse challenge(boolean stale) {
        return new RtspResponse(RtspStatus.UNAUTHORIZED)
                .header("WWW-Authenticate", "Digest realm=\"" + REALM + "\", nonce=\"" + nonce(now()) + "\""
                        + (stale ? ", stale=true" : ""))
                .header("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
    }

    private enum Verdict {
        GOOD, MISSING, WRONG, STALE
    }

    private Verdict verify(String authorization, String method) {
        String value = authorization.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String rest = space < 0 ? "" : value.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(rest), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Verdict.WRONG;
            }
            return equal(decoded, user + ":" + password) ? Verdict.GOOD : Verdict.WRONG;
        }
        if (!scheme.equalsIgnoreCase("Digest")) {
            return Verdict.MISSING;
        }
        Map<String, String> p = parameters(rest);
        String nonce = p.getOrDefault("nonce", "");
        String uri = p.getOrDefault("uri", "");
        String qop = p.get("qop");
        if (!equal(p.getOrDefault("username", ""), user) || !REALM.equals(p.get("realm"))) {
            return Verdict.WRONG;
        }
        String ha1 = md5(user + ":" + REALM + ":" + password);
        // RFC 2617 §3.2.2.5: the uri of the header, which may differ from the request line.
        String ha2 = md5(method + ":" + uri);
        String expected = qop == null ? md5(ha1 + ":" + nonce + ":" + ha2)
                : md5(ha1 + ":" + nonce + ":" + p.getOrDefault("nc", "") + ":" + p.getOrDefault("cnonce", "") + ":"
                        + qop + ":" + ha2);
        if (!equal(expected, p.getOrDefault("response", "").toLowerCase(Locale.ROOT))) {
            return Verdict.WRONG;
        }
        int dot = nonce.indexOf('.');
        if (dot < 0 || !equal(nonce, nonce(parseSeconds(nonce.substring(0, dot))))) {
            return Verdict.WRONG;
        }
        long age = now() - parseSeconds(nonce.substring(0, dot));
        return age >= 0 && age <= NONCE_SECONDS ? Verdict.GOOD : Verdict.STALE;
    }

    /** {@code name=value} or {@code name="value"} pairs separated by commas outside quotes; names in lower case. */
    static Map<String, String> parameters(String text) {
        Map<String, String> out = new HashMap<>();
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
            String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            i = eq + 1;
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
            out.putIfAbsent(name, value.toString().trim());
        }
        return out;
    }

    private String nonce(long seconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String time = Long.toHexString(seconds);
            byte[] tag = mac.doFinal(time.getBytes(StandardCharsets.US_ASCII));
            return time + "." + HexFormat.of().formatHex(tag, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    private static long parseSeconds(String hex) {
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this Java runtime", e);
        }
    }

    /** Compares in time independent of where the texts differ, so a wrong guess tells nothing. */
    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
