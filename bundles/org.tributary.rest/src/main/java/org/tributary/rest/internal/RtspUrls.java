package org.tributary.rest.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Dictionary;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The RTSP URLs the API hands out: the host the HTTP client used (its {@code Host} header), the RTSP server's
 * port, the stream's name as path.
 */
final class RtspUrls {

    /** The RTSP server's configuration PID. */
    static final String SERVER_PID = "org.tributary.rtsp.server";

    /** Framework property with the RTSP port when the configuration sets none. */
    static final String PORT_PROPERTY = "tributary.rtsp.port";

    static final int DEFAULT_PORT = 8554;

    private RtspUrls() {
    }

    /**
     * The port the RTSP server listens on, as it decides it: its configuration's {@code port}, else the framework
     * property, else 8554. A configured 0 (any free port) cannot be told from here and counts as absent.
     */
    static int port(ConfigurationAdmin configAdmin, String frameworkProperty) {
        Integer configured = configAdmin == null ? null : configuredPort(configAdmin);
        if (configured != null) {
            return configured;
        }
        Integer fromFramework = parse(frameworkProperty);
        return fromFramework != null ? fromFramework : DEFAULT_PORT;
    }

    private static Integer configuredPort(ConfigurationAdmin configAdmin) {
        try {
            // listConfigurations, unlike getConfiguration, never creates an empty configuration.
            Configuration[] found = configAdmin.listConfigurations("(service.pid=" + SERVER_PID + ")");
            if (found == null || found.length == 0) {
                return null;
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            return properties == null ? null : parse(properties.get("port"));
        } catch (IOException | InvalidSyntaxException | IllegalStateException e) {
            return null;
        }
    }

    static Integer parse(Object value) {
        if (value == null) {
            return null;
        }
        try {
            int port = value instanceof Number n ? n.intValue() : Integer.parseInt(value.toString().strip());
            return port > 0 && port <= 65535 ? port : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * {@code rtsp://HOST:PORT/NAME}; the name's parts percent-encoded. An IPv6 literal host, as the Host header
     * has it ({@code [::1]}) or bare ({@code ::1}), is written once in brackets, a zone as {@code %25zone}
     * (RFC 6874).
     */
    static String url(String host, int port, String stream) {
        String h = host == null || host.isBlank() ? "localhost" : host.strip();
        if (h.length() > 2 && h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        int zone = h.indexOf('%');
        if (h.indexOf(':') >= 0 && zone >= 0 && !h.startsWith("25", zone + 1)) {
            h = h.substring(0, zone) + "%25" + h.substring(zone + 1);
        }
        try {
            // URI adds the brackets an IPv6 literal needs and encodes what a path may not hold.
            return new URI("rtsp", null, h, port, "/" + stream, null, null).toASCIIString();
        } catch (URISyntaxException e) {
            return "rtsp://" + h + ":" + port + "/" + stream;
        }
    }
}
