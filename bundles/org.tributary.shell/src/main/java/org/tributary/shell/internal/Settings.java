package org.tributary.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} words of {@code stream add} and {@code stream set}. Values stay strings: the stream
 * core converts them by the source type's metatype, so the shell needs to know no source's settings.
 */
final class Settings {

    private Settings() {
    }

    static Map<String, Object> parse(List<String> words) throws UsageException {
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("expected key=value, got '" + word + "'");
            }
            String key = word.substring(0, eq);
            if (settings.put(key, word.substring(eq + 1)) != null) {
                throw new UsageException("setting '" + key + "' given twice");
            }
        }
        return settings;
    }
}
