package org.tributary.core.internal;

/**
 * What a stream created through {@link org.tributary.api.Streams#create} may be called. The name becomes an
 * RTSP path and part of a Config Admin PID and file name, so it is kept to characters that mean the same in
 * all three: letters, digits, {@code . _ -}, and {@code /} between non-empty segments; a segment {@code .}
 * or {@code ..} could be collapsed by a client's URL handling and reach another stream, so neither is allowed.
 */
final class StreamNames {

    /** The longest name accepted. */
    static final int MAX_LENGTH = 200;

    private StreamNames() {
    }

    /**
     * The problem with {@code name} for a person, or {@code null} if it is acceptable.
     */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "the stream name is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "the stream name is " + name.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        if (name.startsWith("/")) {
            return "stream name '" + name + "' starts with '/'; give the path without it";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-' || c == '/';
            if (!ok) {
                return "stream name '" + printable(name) + "' contains " + describe(c)
                        + "; use letters, digits, '.', '_', '-' and '/' between parts";
            }
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                return "stream name '" + name + "' has an empty part between slashes or ends with '/'";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "stream name '" + name + "' has a part '" + segment + "', which is not allowed";
            }
        }
        return null;
    }

    private static String describe(char c) {
        if (c < 0x20 || c == 0x7F) {
            return String.format("the control character U+%04X", (int) c);
        }
        return c == ' ' ? "a space" : "'" + c + "'";
    }

    private static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return b.toString();
    }
}
