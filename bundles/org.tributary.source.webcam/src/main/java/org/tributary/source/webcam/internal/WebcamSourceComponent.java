package org.tributary.source.webcam.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaSource;

/**
 * One configured camera served as a live JPEG stream. Activation checks the configuration and registers the
 * source with {@value MediaSource#STREAM_NAME}, {@value MediaSource#SOURCE_TYPE}={@value #SOURCE_TYPE} and the
 * camera's driver and device; the camera itself is open only while the stream core has started the feed.
 */
@Component(name = WebcamSourceComponent.PID, configurationPid = WebcamSourceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = WebcamSourceConfig.class, factory = true)
public class WebcamSourceComponent {

    /** The factory PID of webcam source configurations. */
    public static final String PID = "org.tributary.source.webcam";

    /** The {@value MediaSource#SOURCE_TYPE} of every webcam source. */
    static final String SOURCE_TYPE = "webcam";

    private static final String[] SERVICES = { LiveSource.class.getName(), MediaSource.class.getName() };

    private final WebcamSource source;
    private final ServiceRegistration<?> registration;

    /** Validates the configuration and mounts the stream. */
    @Activate
    public WebcamSourceComponent(WebcamSourceConfig config, BundleContext context) {
        String name = config.name() == null ? "" : config.name().strip();
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(PID + ": the stream name is empty; set 'name'");
        }
        CaptureSettings settings;
        try {
            settings = new CaptureSettings(name, CaptureSettings.Driver.parse(config.driver()), config.device(),
                    config.width(), config.height(), config.frameRate(), config.quality());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + " '" + name + "': " + e.getMessage(), e);
        }
        source = new WebcamSource(settings);
        Cameras.acquire();
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(MediaSource.STREAM_NAME, name);
        properties.put(MediaSource.SOURCE_TYPE, SOURCE_TYPE);
        properties.put("webcam.driver", settings.driver().toString());
        properties.put("webcam.device", settings.device());
        properties.put(LiveSource.ON_DEMAND, config.onDemand());
        registration = context.registerService(SERVICES, source, properties);
    }

    /** Unmounts the stream and closes its camera, if open. */
    @Deactivate
    public void deactivate() {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // Already unregistered: the bundle stopped first.
        }
        source.close();
        Cameras.release();
    }
}
