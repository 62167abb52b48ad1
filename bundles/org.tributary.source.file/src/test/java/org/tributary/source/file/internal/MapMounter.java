package org.tributary.source.file.internal;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Mounts into a map, as the service registry would, and refuses a name mounted twice. */
final class MapMounter implements Mounter {

    final Map<String, FileMedia> mounted = new ConcurrentHashMap<>();
    /** The thread each stream was mounted on. */
    final Map<String, String> threads = new ConcurrentHashMap<>();

    @Override
    public Mount mount(String name, FileMedia media) {
        threads.put(name, Thread.currentThread().getName());
        assertNull(mounted.putIfAbsent(name, media), "mounted twice: " + name);
        return () -> mounted.remove(name, media);
    }
}
