package org.tributary.source.gstreamer.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaSource;

/**
 * Registers a {@link PipelineSource} as a {@link LiveSource} and {@link MediaSource} service with
 * {@value MediaSource#STREAM_NAME}, {@value MediaSource#SOURCE_TYPE}={@value #SOURCE_TYPE},
 * {@value LiveSource#ON_DEMAND} and {@value #PIPELINE} (the configured pipeline, for people looking at the service).
 */
final class SourceRegistration {

    /** The {@value MediaSource#SOURCE_TYPE} of every GStreamer source. */
    static final String SOURCE_TYPE = "gstreamer";

    /** Service property: the configured pipeline. */
    static final String PIPELINE = "gstreamer.pipeline";

    private static final String[] SERVICES = { LiveSource.class.getName(), MediaSource.class.getName() };

    private final ServiceRegistration<?> registration;

    SourceRegistration(BundleContext context, PipelineSource source, int ranking, boolean onDemand) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(LiveSource.ON_DEMAND, onDemand);
        properties.put(MediaSource.STREAM_NAME, source.settings().name());
        properties.put(MediaSource.SOURCE_TYPE, SOURCE_TYPE);
        properties.put(PIPELINE, source.settings().pipeline());
        properties.put(Constants.SERVICE_RANKING, ranking);
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
