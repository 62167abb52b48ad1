package org.tributary.source.relay.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaSource;

/**
 * Registers a {@link RelaySource} as a {@link LiveSource} and {@link MediaSource} service with
 * {@value MediaSource#STREAM_NAME}, {@value MediaSource#SOURCE_TYPE}={@value #SOURCE_TYPE} and {@value #ORIGIN}
 * (the origin's URL without credentials, for people looking at the service).
 */
final class SourceRegistration {

    /** The {@value MediaSource#SOURCE_TYPE} of every relay. */
    static final String SOURCE_TYPE = "relay";

    /** Service property: the origin's URL without credentials. */
    static final String ORIGIN = "relay.origin";

    private static final String[] SERVICES = { LiveSource.class.getName(), MediaSource.class.getName() };

    private final ServiceRegistration<?> registration;

    SourceRegistration(BundleContext context, RelaySource source) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MediaSource.STREAM_NAME, source.settings().name());
        properties.put(MediaSource.SOURCE_TYPE, SOURCE_TYPE);
        properties.put(ORIGIN, source.settings().origin());
        registration = context.registerService(SERVICES, source, properties);
    }

    /** Takes the service away; harmless if the bundle stopping took it already. */
    void unregister() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // Already unregistered: the bundle stopped first.
        }
    }
}
