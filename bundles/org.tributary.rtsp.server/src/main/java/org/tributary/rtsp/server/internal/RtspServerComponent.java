package org.tributary.rtsp.server.internal;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaSource;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.api.StreamException;
import org.tributary.api.Streams;
import org.tributary.api.Transport;
import org.tributary.api.TransportException;

/**
 * The RTSP server as a component: provides {@link Sessions}, needs {@link Streams}, and tracks every
 * {@link Transport} as it comes and goes. Streams clients publish to it are registered as {@link LiveSource}
 * services ({@code source.type=publish}) for the stream core to mount.
 *
 * <p>A port that cannot be bound (taken by another program, an address not of this machine) is logged as
 * one error naming the port and what to do; the component then stays active without a port, so the
 * Sessions service and the rest of the runtime keep working, and a configuration change restarts it.
 */
@Component(service = Sessions.class, immediate = true, configurationPid = RtspServerComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RtspServerConfig.class)
public final class RtspServerComponent implements Sessions {

    /** The configuration PID. */
    public static final String PID = "org.tributary.rtsp.server";

    /** Framework property with the port, used when the configuration does not set one. */
    public static final String PORT_PROPERTY = "tributary.rtsp.port";

    private static final Logger LOG = LoggerFactory.getLogger(RtspServerComponent.class);

    private final TransportRegistry transports = new TransportRegistry();
    private final RtspServer server;
    private final int wanted;
    private final String bindAddress;
    private volatile int port = -1;

    @Activate
    public RtspServerComponent(@Reference(name = "streams") Streams streams, RtspServerConfig config, BundleContext context,
            Map<String, Object> properties) {
        this.wanted = resolvePort(properties.get("port"), context.getProperty(PORT_PROPERTY));
        this.bindAddress = config.bindAddress();
        this.server = new RtspServer(RtspSettings.of(config, wanted), streams, transports, registrar(context));
    }

    /**
     * Published streams become {@link LiveSource} services of this bundle, which the stream core mounts like any
     * live source; unregistering one ends its viewers.
     */
    private static SourceRegistrar registrar(BundleContext context) {
        return (name, source) -> {
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put(MediaSource.STREAM_NAME, name);
            properties.put(MediaSource.SOURCE_TYPE, SourceRegistrar.SOURCE_TYPE);
            ServiceRegistration<?> registration = context.registerService(
                    new String[] {LiveSource.class.getName(), MediaSource.class.getName()}, source, properties);
            return () -> {
                try {
                    registration.unregister();
                } catch (IllegalStateException e) {
                    // Gone already: the bundle is stopping.
                }
            };
        };
    }

    /**
     * Opens the port once the transports present are bound (DS calls the bind methods after the
     * constructor and before this), so the first SETUP finds them.
     */
    @Activate
    void start() {
        try {
            port = server.start();
        } catch (BindException e) {
            LOG.error("The RTSP server cannot listen on port {}{}: {}. Another program probably uses the port: stop "
                    + "it, or set 'port' in configuration '{}' (or the framework property {}). RTSP stays off "
                    + "until then; everything else runs.", wanted, bindAddress.isBlank() ? "" : " of " + bindAddress,
                    e.getMessage(), PID, PORT_PROPERTY);
        }
    }

    /** The port from configuration, else the framework property, else 8554. */
    static int resolvePort(Object configured, String frameworkProperty) {
        Integer fromConfig = parsePort(configured);
        if (fromConfig != null) {
            return fromConfig;
        }
        Integer fromFramework = parsePort(frameworkProperty);
        return fromFramework != null ? fromFramework : RtspSettings.DEFAULT_PORT;
    }

    private static Integer parsePort(Object value) {
        if (value == null || value.toString().isBlank() || value.toString().trim().equals("-1")) {
            return null;
        }
        try {
            int p = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().trim());
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // Falls through to the warning.
        }
        LOG.warn("Ignoring RTSP port '{}': not a number from 0 to 65535", value);
        return null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTransport(Transport transport, Map<String, Object> properties) {
        transports.add(transport, properties);
    }

    void removeTransport(Transport transport) {
        transports.remove(transport);
        server.sessions().transportGone(transport);
    }

    /** The port listened on, or -1 when the port could not be bound. */
    int port() {
        return port;
    }

    @Deactivate
    void deactivate() {
        server.close();
    }

    @Override
    public List<SessionInfo> list() {
        return server.sessions().list();
    }

    @Override
    public boolean kick(String id) {
        return id != null && server.sessions().kick(id);
    }

    @Override
    public SessionInfo push(String stream, InetSocketAddress destination) throws StreamException, TransportException {
        return server.service().push(stream, destination);
    }

    @Override
    public Optional<String> pushDescription(String id) {
        return id == null ? Optional.empty() : server.service().pushDescription(id);
    }

    /**
     * Frames of a live stream packetized since the server started, for metrics and tests: once per frame
     * however many sessions were sent it, so against the stream core's frames delivered it shows the fan-out.
     */
    public long packetizedFrames(String stream) {
        return server.sessions().packetizedFrames(stream);
    }
}
