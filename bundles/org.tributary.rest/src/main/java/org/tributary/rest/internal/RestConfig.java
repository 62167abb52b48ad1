package org.tributary.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the REST API and web page, PID {@value RestComponent#PID}. The HTTP port is Felix HTTP's
 * ({@code org.osgi.service.http.port}, set from {@code tributary.http.port} by the run script).
 */
@ObjectClassDefinition(name = "Tributary REST API and web page",
        description = "REST API, web page with live previews, metrics and the /control and /request_stream_client "
                + "calls of simple camera-streaming clients.")
public @interface RestConfig {

    @AttributeDefinition(name = "Bundle management", description = "Who may install, start, stop, update and "
            + "uninstall bundles and features over HTTP: loopback (only clients on this machine), any, or off.",
            options = { @Option(value = "loopback", label = "Clients on this machine only"),
                    @Option(value = "any", label = "Any client"), @Option(value = "off", label = "Nobody") })
    String bundleManagement() default "loopback";

    @AttributeDefinition(name = "Default stream", description = "The stream /control starts and stops when the "
            + "request names none, and whose URL /request_stream_client answers for an unknown streamer_id.")
    String defaultStream() default "demo";

    @AttributeDefinition(name = "Maximum live previews", description = "MJPEG previews open at once; more answer "
            + "503. Each holds one HTTP thread.", min = "0")
    int maxPreviews() default 16;

    @AttributeDefinition(name = "Maximum upload bytes", description = "Largest bundle jar accepted by upload.",
            min = "1")
    long maxUploadBytes() default 64L * 1024 * 1024;
}
