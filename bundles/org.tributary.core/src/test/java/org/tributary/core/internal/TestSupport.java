package org.tributary.core.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.tributary.api.MediaSource;

/** Service properties as the framework hands them to bind methods, and small helpers. */
final class TestSupport {

    private static final AtomicLong IDS = new AtomicLong(100);

    private TestSupport() {
    }

    static Map<String, Object> props(String name, String type) {
        return props(name, type, 0, IDS.incrementAndGet());
    }

    static Map<String, Object> props(String name, String type, int ranking, long id) {
        Map<String, Object> p = new HashMap<>();
        p.put(MediaSource.STREAM_NAME, name);
        p.put(MediaSource.SOURCE_TYPE, type);
        p.put("service.ranking", ranking);
        p.put("service.id", id);
        return p;
    }

    static long median(List<Long> values) {
        return percentile(values, 50);
    }

    static long percentile(List<Long> values, int p) {
        List<Long> sorted = values.stream().sorted().toList();
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static List<String> tributaryThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tributary-")).sorted().toList();
    }
}
