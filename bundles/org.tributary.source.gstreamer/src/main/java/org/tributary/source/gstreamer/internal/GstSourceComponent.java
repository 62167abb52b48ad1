package org.tributary.source.gstreamer.internal;

import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.tributary.api.Codec;

/**
 * One configured GStreamer pipeline served as a live stream. Activation checks the configuration, tells the codec
 * when asked to, registers the source and, for H.264, starts the background probe that learns SPS and PPS; the
 * pipeline itself runs only while the stream core has started the feed.
 */
@Component(name = GstSourceComponent.PID, configurationPid = GstSourceComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = GstSourceConfig.class, factory = true)
public class GstSourceComponent {

    /** The factory PID of GStreamer source configurations. */
    public static final String PID = "org.tributary.source.gstreamer";

    private static final System.Logger LOG = System.getLogger(GstSourceComponent.class.getName());

    // Both null when the configuration is not usable: then there is no stream, only the log line saying why.
    private final PipelineSource source;
    private final SourceRegistration registration;

    /**
     * Checks the configuration and mounts the stream; a configuration that cannot make a source (written by hand,
     * e.g. a file in deploy/) mounts nothing and is named in one log line with the setting at fault.
     */
    @Activate
    public GstSourceComponent(GstSourceConfig config, BundleContext context, Map<String, Object> properties) {
        String name = config.name() == null ? "" : config.name().strip();
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        SourceSettings settings = null;
        try {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("setting 'name' is empty; set it to the stream's name");
            }
            settings = settings(name, config);
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1}. {2}", configuration(properties), e.getMessage(),
                    name.isEmpty() ? "No stream is mounted" : "Stream '" + name + "' is not mounted");
        }
        if (settings == null) {
            source = null;
            registration = null;
            return;
        }
        source = new PipelineSource(settings);
        registration = new SourceRegistration(context, source, 0, config.onDemand());
        if (config.probe()) {
            source.probe();
        }
    }

    /** Unmounts the stream and stops its pipeline, if it runs. */
    @Deactivate
    public void deactivate() {
        if (registration != null) {
            registration.unregister();
            source.close();
        }
    }

    /**
     * The source a configuration describes; parses the pipeline without running it.
     *
     * @throws IllegalArgumentException naming the setting at fault and why
     */
    static SourceSettings settings(String name, GstSourceConfig config) {
        return settings(name, config.pipeline(), config.codec(), config.frameRate(), config.restartDelaySeconds(),
                config.restartAttempts(), config.restartOnEos(), config.probe());
    }

    /**
     * The source these settings describe; parses the pipeline without running it.
     *
     * @throws IllegalArgumentException naming the setting at fault and why
     */
    static SourceSettings settings(String name, String pipeline, String codecSetting, double frameRate,
            int restartDelaySeconds, int restartAttempts, String restartOnEos, boolean probe) {
        Codec configured = configuredCodec(codecSetting);
        SourceSettings.EosAction onEos = SourceSettings.EosAction.parse(restartOnEos);
        if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
            throw new IllegalArgumentException("setting 'frameRate' must be more than 0, got " + frameRate);
        }
        Codec codec;
        if (configured == null) {
            codec = LaunchLine.detectCodec(pipeline);
        } else {
            LaunchLine.check(pipeline, configured);
            codec = configured;
        }
        return new SourceSettings(name, pipeline, codec, frameRate, restartDelaySeconds, restartAttempts, onEos,
                probe);
    }

    /** The configuration as a person finds it: its PID, and the file it was read from, if any. */
    static String configuration(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Object file = properties.get("felix.fileinstall.filename");
        return "configuration " + (pid == null ? PID : pid) + (file == null ? "" : " (" + file + ")");
    }

    /** The configured codec, {@code null} for AUTO (told from the pipeline). */
    static Codec configuredCodec(String configured) {
        String value = configured == null ? "AUTO" : configured.strip().toUpperCase(Locale.ROOT).replace(".", "");
        return switch (value) {
            case "", "AUTO" -> null;
            case "JPEG", "MJPEG" -> Codec.JPEG;
            case "H264" -> Codec.H264;
            default -> throw new IllegalArgumentException("setting 'codec' must be AUTO, JPEG or H264, not '"
                    + configured + "'");
        };
    }
}
