package org.tributary.core.internal;

import java.util.HashMap;
import java.util.Map;

import org.tributary.api.MediaSource;
import org.tributary.api.Streams;

/**
 * The stream core outside a framework, for measurements: {@link StreamCore} with no Config Admin, no metatype
 * service and no source types, whose sources are bound by hand instead of by Declarative Services.
 *
 * <p>Lives in the core's package to reach its package-private constructor and bind methods; on a plain class
 * path (no OSGi) a package may span jars.
 */
public final class StandaloneStreams implements AutoCloseable {

    private final StreamCore core = new StreamCore();
    private long nextServiceId = 1;

    /** The core as its consumers (the RTSP server) see it. */
    public Streams streams() {
        return core;
    }

    /**
     * Mounts {@code source} under {@code name}, as if it were registered as a service with these properties:
     * {@value MediaSource#STREAM_NAME}, {@value MediaSource#SOURCE_TYPE}, ranking 0 and the next service id.
     */
    public synchronized void bind(MediaSource source, String name, String type) {
        Map<String, Object> properties = new HashMap<>();
        properties.put(MediaSource.STREAM_NAME, name);
        properties.put(MediaSource.SOURCE_TYPE, type);
        properties.put("service.ranking", 0);
        properties.put("service.id", nextServiceId++);
        core.bindSource(source, properties);
    }

    /** Ends every playback, stops live feeds and ends the core's threads. */
    @Override
    public void close() {
        core.deactivate();
    }
}
