package org.tributary.source.file.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.tributary.api.MediaSource;
import org.tributary.api.OnDemandSource;

/**
 * Mounts a file source by registering it as a {@link MediaSource} and {@link OnDemandSource} service with
 * {@value MediaSource#STREAM_NAME}, {@value MediaSource#SOURCE_TYPE}={@value #SOURCE_TYPE} and
 * {@value #FILE_PATH} (the file, for people looking at the service).
 */
final class ServiceMounter implements Mounter {

    /** The {@value MediaSource#SOURCE_TYPE} of every file source. */
    static final String SOURCE_TYPE = "file";

    /** Service property: the file a source plays. */
    static final String FILE_PATH = "file.path";

    private static final String[] SERVICES = { MediaSource.class.getName(), OnDemandSource.class.getName() };

    private final BundleContext context;

    ServiceMounter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Mount mount(String name, FileMedia media) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MediaSource.STREAM_NAME, name);
        properties.put(MediaSource.SOURCE_TYPE, SOURCE_TYPE);
        properties.put(FILE_PATH, media.file().toString());
        ServiceRegistration<?> registration = context.registerService(SERVICES, media, properties);
        return () -> {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // Already unregistered: the bundle stopped first, which unregisters everything it registered.
            }
        };
    }
}
