package org.tributary.source.relay.internal;

import java.util.Map;
import java.util.Optional;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;

/**
 * One configured relay served as a live stream. Activation checks the configuration, registers the source and
 * has it describe the origin in the background (and, when not on demand, start pulling it).
 *
 * <p>Recovery: a live source can put its stream in {@code FAILED} (by ending its feed) but has no way in the API to
 * take it out again, and the RTSP server refuses a failed stream's DESCRIBE, so without help a relay would stay
 * failed until an operator started it. When the origin answers again after a failure, this component does what the
 * operator would: {@link Streams#start} for its stream, if the stream is still {@code FAILED} and still a relay.
 * The reference to {@link Streams} is optional and dynamic: without the stream core there is nobody to tell.
 */
@Component(name = RelayComponent.PID, configurationPid = RelayComponent.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = RelayConfig.class, factory = true)
public class RelayComponent {

    /** The factory PID of relay configurations. */
    public static final String PID = "org.tributary.source.relay";

    private static final System.Logger LOG = System.getLogger(RelayComponent.class.getName());

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Streams streams;

    // Both null when the configuration is not usable: then there is no stream, only the log line saying why.
    private final RelaySource source;
    private final SourceRegistration registration;

    /**
     * Checks the configuration and mounts the stream; a configuration that cannot make a relay (written by hand,
     * e.g. a file in deploy/) mounts nothing and is named in one log line with the setting at fault.
     */
    @Activate
    public RelayComponent(RelayConfig config, BundleContext context, Map<String, Object> properties) {
        String name = config.name() == null ? "" : config.name().strip();
        while (name.startsWith("/")) {
            name = name.substring(1);
        }
        RelaySettings settings = null;
        if (name.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: setting ''name'' is empty; set it to the stream''s name. No "
                    + "stream is mounted", configuration(properties));
        } else {
            try {
                settings = new RelaySettings(name, config.url() == null ? null : config.url().strip(),
                        RelaySettings.transport(config.transport()), config.onDemand(),
                        config.reconnectDelaySeconds(), config.connectTimeoutSeconds());
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: {1}. Stream ''{2}'' is not mounted",
                        configuration(properties), e.getMessage(), name);
            }
        }
        if (settings == null) {
            source = null;
            registration = null;
            return;
        }
        source = new RelaySource(settings, this::originRecovered);
        registration = new SourceRegistration(context, source);
        source.open();
    }

    /** Unmounts the stream and disconnects from the origin. */
    @Deactivate
    public void deactivate() {
        if (registration != null) {
            registration.unregister();
            source.close();
        }
    }

    /** The configuration as a person finds it: its PID, and the file it was read from, if any. */
    static String configuration(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        Object file = properties.get("felix.fileinstall.filename");
        return "configuration " + (pid == null ? PID : pid) + (file == null ? "" : " (" + file + ")");
    }

    private void originRecovered() {
        Streams core = streams;
        String name = source.settings().name();
        if (core == null) {
            return;
        }
        Optional<StreamInfo> now = core.get(name);
        if (now.isEmpty() || now.get().state() != StreamState.FAILED
                || !SourceRegistration.SOURCE_TYPE.equals(now.get().type())) {
            return;
        }
        try {
            core.start(name);
            LOG.log(System.Logger.Level.INFO, "stream {0}: playable again, origin {1} answers", name,
                    source.settings().origin());
        } catch (StreamException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "stream " + name + ": could not clear its failure: " + e.getMessage());
        }
    }
}
