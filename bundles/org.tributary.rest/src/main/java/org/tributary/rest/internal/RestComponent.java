package org.tributary.rest.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.tributary.api.Features;
import org.tributary.api.Sessions;
import org.tributary.api.Streams;
import org.tributary.api.Transport;

import jakarta.servlet.Servlet;

/**
 * The REST API, web page, metrics and seed-compatible calls as one component: it holds the services they work
 * through and registers their servlets with the HTTP whiteboard while it is active.
 *
 * <p>Every service is optional and dynamic, so the API stays up and says what is missing while the stream core,
 * the RTSP server or the feature installer is away; and stopping this bundle touches no stream. A configuration
 * change re-registers the servlets (live previews end and browsers reconnect).
 */
@Component(service = {}, immediate = true, configurationPid = RestComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestConfig.class)
public final class RestComponent implements Backends {

    /** The configuration PID. */
    public static final String PID = "org.tributary.rest";

    private static final String PATTERN = "osgi.http.whiteboard.servlet.pattern";
    private static final String NAME = "osgi.http.whiteboard.servlet.name";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Streams streams;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Sessions sessions;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Features features;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ConfigurationAdmin configAdmin;

    // References, not services: listing a transport must not get (and so hold) its service object.
    @Reference(service = Transport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<ServiceReference<Transport>> transports = List.of();

    private final BundleContext context;
    private final RestConfig config;
    private final Previews previews;
    private final List<ServiceRegistration<Servlet>> registrations = new ArrayList<>();

    @Activate
    public RestComponent(BundleContext context, RestConfig config) {
        this.context = context;
        this.config = config;
        this.previews = new Previews(this, config.maxPreviews());
    }

    /** Registers the servlets once the references present are bound, so the first request finds them. */
    @Activate
    void register() {
        ApiServlet api = new ApiServlet(this, previews);
        register(api, "tributary-api", props -> {
            props.put("osgi.http.whiteboard.servlet.multipart.enabled", Boolean.TRUE);
            props.put("osgi.http.whiteboard.servlet.multipart.maxFileSize", config.maxUploadBytes());
            props.put("osgi.http.whiteboard.servlet.multipart.maxRequestSize", config.maxUploadBytes() + 65536);
        }, "/api/*");
        register(new SeedServlet(this), "tributary-seed-control", props -> { }, "/control", "/request_stream_client");
        register(new MetricsServlet(this), "tributary-metrics", props -> { }, "/metrics");
        register(new PageServlet(), "tributary-page", props -> { }, "/");
    }

    private void register(Servlet servlet, String name, java.util.function.Consumer<Dictionary<String, Object>> extra,
            String... patterns) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PATTERN, patterns);
        props.put(NAME, name);
        extra.accept(props);
        synchronized (registrations) {
            registrations.add(context.registerService(Servlet.class, servlet, props));
        }
    }

    @Deactivate
    void deactivate() {
        // Previews first: their requests hold HTTP threads the whiteboard may wait for when the servlet goes.
        previews.closeAll();
        synchronized (registrations) {
            for (ServiceRegistration<Servlet> r : registrations) {
                try {
                    r.unregister();
                } catch (IllegalStateException e) {
                    // Unregistered already by the framework stopping this bundle.
                }
            }
            registrations.clear();
        }
    }

    @Override
    public Streams streamsOrNull() {
        return streams;
    }

    @Override
    public Sessions sessionsOrNull() {
        return sessions;
    }

    @Override
    public Features featuresOrNull() {
        return features;
    }

    @Override
    public List<ServiceReference<Transport>> transports() {
        return transports;
    }

    @Override
    public int rtspPort() {
        return RtspUrls.port(configAdmin, context.getProperty(RtspUrls.PORT_PROPERTY));
    }

    @Override
    public BundleContext context() {
        return context;
    }

    @Override
    public RestConfig config() {
        return config;
    }
}
