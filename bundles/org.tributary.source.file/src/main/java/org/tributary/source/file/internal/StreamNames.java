package org.tributary.source.file.internal;

/**
 * Rules for the names files are mounted under. A file name that could mean another place (a separator,
 * {@code ..}, a NUL or other control character) is never mounted, so no stream name resolves outside
 * the directory it came from.
 */
final class StreamNames {

    private StreamNames() {
    }

    /** Whether a directory entry's name may be mounted as it is. */
    static boolean isSafeFileName(String name) {
        if (name.isEmpty() || name.equals(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7F) {
                return false;
            }
        }
        return true;
    }

    /**
     * A configured path-like name ("clips", "cams/front") without leading or trailing slashes, every segment
     * a safe file name; empty stays empty.
     *
     * @param what names the setting in the message, e.g. "prefix"
     * @throws IllegalArgumentException naming the setting and the value if a segment is not safe
     */
    static String checkPath(String what, String value) {
        String trimmed = value == null ? "" : value.strip();
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (!trimmed.isEmpty()) {
            for (String segment : trimmed.split("/", -1)) {
                if (!isSafeFileName(segment)) {
                    throw new IllegalArgumentException(what + " '" + value + "' is not a valid stream name: every part "
                            + "between slashes must be non-empty, without '..', backslash or control characters");
                }
            }
        }
        return trimmed;
    }

    /** The stream name of a file in a directory mounted under {@code prefix} (already checked). */
    static String mountName(String prefix, String fileName) {
        return prefix.isEmpty() ? fileName : prefix + "/" + fileName;
    }
}
