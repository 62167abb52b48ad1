package org.tributary.source.webcam.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

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

    private static final System.Logger LOG = System.getLogger(WebcamSourceComponent.class.getName());

    // Both null when the configuration is not usable: then there is no stream, only the log line saying why.
    private final WebcamSource source;
    private final ServiceRegistration<?> registration;

    /**
     * Checks the configuration and mounts the stream; a configuration that cannot make a source (written by hand,
     * e.g. a file in deploy/) mounts nothing and is named in one log line with the setting at fault.
     */
    @Activate
    public WebcamSourceComponent(WebcamSourceConfig config, BundleContext context, Map<String, Object> stored) {
        String name = config.name() == null ? "" : config.name().strip();
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        CaptureSettings settings = null;
        try {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("setting 'name' is empty; set it to the stream's name");
            }
            settings = new CaptureSettings(name, CaptureSettings.Driver.parse(config.driver()), config.device(),
                    config.width(), config.height(), config.frameRate(), config.quality());
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}. {2}", configuration(stored), e.getMessage(),
                    name.isEmpty() ? "No stream is mounted" : "Stream '" + name + "' is not mounted");
        }
        if (settings == null) {
            source = null;
            registration = null;
            return;
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

    /** The configuration as a person finds it: its PID, and the file it was read from, if any. */
    static String configuration(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Object file = properties.get("felix.fileinstall.filename");
        return "configuration " + (pid == null ? PID : pid) + (file == null ? "" : " (" + file + ")");
    }

    /** Unmounts the stream and closes its camera, if open. */
    @Deactivate
    public void deactivate() {
        if (registration == null) {
            return;
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // Already unregistered: the bundle stopped first.
        }
        source.close();
        Cameras.release();
    }
}
