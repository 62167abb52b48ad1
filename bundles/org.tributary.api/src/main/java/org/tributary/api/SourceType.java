package org.tributary.api;

import java.util.Objects;

/**
 * A kind of source that can be installed: what {@link Streams#create} accepts as type. Source bundles declare
 * it in their manifest as a capability
 * {@code Provide-Capability: tributary.source;tributary.source=<type>;factory.pid=<PID>;description=<text>},
 * whose factory configurations (with a {@code name} property for the stream's name) create streams; the PID's
 * metatype describes the settings. Immutable.
 *
 * @param type the name used in {@link MediaSource#SOURCE_TYPE} and {@link Streams#create} (e.g. {@code file})
 * @param factoryPid the Config Admin factory PID of its streams
 * @param description a sentence for a person
 * @param bundle the symbolic name of the bundle that provides it
 */
public record SourceType(String type, String factoryPid, String description, String bundle) {

    /** Capability namespace of source types. */
    public static final String NAMESPACE = "tributary.source";

    /** Capability attribute with the factory PID. */
    public static final String FACTORY_PID = "factory.pid";

    /** Capability attribute with the description. */
    public static final String DESCRIPTION = "description";

    public SourceType {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(factoryPid, "factoryPid");
        description = description == null ? "" : description;
        bundle = bundle == null ? "" : bundle;
    }
}
