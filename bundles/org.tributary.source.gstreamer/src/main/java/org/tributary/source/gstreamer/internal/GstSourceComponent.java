package org.tributary.source.gstreamer.internal;

import java.util.Locale;

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

    private final PipelineSource source;
    private final SourceRegistration registration;

    /** Validates the configuration and mounts the stream. */
    @Activate
    public GstSourceComponent(GstSourceConfig config, BundleContext context) {
        String name = config.name() == null ? "" : config.name().strip();
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(PID + ": the stream name is empty; set 'name'");
        }
        if (config.pipeline() == null || config.pipeline().isBlank()) {
            throw new IllegalArgumentException(PID + " '" + name + "': the pipeline is empty; set 'pipeline'");
        }
        Codec codec;
        try {
            codec = codec(config.codec(), config.pipeline());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PID + " '" + name + "': " + e.getMessage(), e);
        }
        source = new PipelineSource(new SourceSettings(name, config.pipeline(), codec, config.frameRate(),
                config.restartDelaySeconds(), config.restartAttempts(),
                SourceSettings.EosAction.parse(config.restartOnEos()), config.probe()));
        registration = new SourceRegistration(context, source, 0, config.onDemand());
        if (config.probe()) {
            source.probe();
        }
    }

    /** Unmounts the stream and stops its pipeline, if it runs. */
    @Deactivate
    public void deactivate() {
        registration.unregister();
        source.close();
    }

    private static Codec codec(String configured, String pipeline) {
        String value = configured == null ? "AUTO" : configured.strip().toUpperCase(Locale.ROOT).replace(".", "");
        return switch (value) {
            case "", "AUTO" -> LaunchLine.detectCodec(pipeline);
            case "JPEG", "MJPEG" -> Codec.JPEG;
            case "H264" -> Codec.H264;
            default -> throw new IllegalArgumentException("codec must be AUTO, JPEG or H264, not '" + configured + "'");
        };
    }
}
