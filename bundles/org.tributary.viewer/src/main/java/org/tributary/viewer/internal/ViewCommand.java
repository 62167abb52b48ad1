package org.tributary.viewer.internal;

import java.awt.GraphicsEnvironment;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.tributary.rtsp.client.LowerTransport;

/**
 * The Gogo command {@code tributary:view [-t udp|tcp] URL}: opens a viewer window in the runtime's JVM. The
 * component keeps its windows and closes them (TEARDOWN, sockets, threads) when it is deactivated, so stopping or
 * uninstalling the bundle leaves no window behind.
 */
// Immediate: a delayed component would be deactivated as soon as Gogo releases it after the call, closing the
// windows it just opened.
@Component(service = ViewCommand.class, immediate = true, property = {
        "osgi.command.scope=tributary",
        "osgi.command.function=view" })
public final class ViewCommand {

    static final String NO_DISPLAY = "no display: the runtime runs headless; start it with -Dtributary.viewer=true and DISPLAY set "
            + "(a desktop or Xvfb) for viewer windows";

    private final Set<ViewerWindow> windows = ConcurrentHashMap.newKeySet();
    private final int httpPort;
    private volatile boolean active = true;

    @Activate
    public ViewCommand(BundleContext context) {
        this(httpPort(context == null ? null : context.getProperty("tributary.http.port")));
    }

    ViewCommand(int httpPort) {
        this.httpPort = httpPort;
    }

    static final String USAGE = "usage: view [-t udp|tcp] rtsp://host[:port]/path, e.g. view rtsp://127.0.0.1:8554/demo";

    // The words as one array, so that a missing URL or option value reaches this class and gets the usage line
    // instead of Gogo's coercion error.
    @Descriptor("open a viewer window playing an RTSP stream: view [-t udp|tcp] rtsp://host[:port]/path")
    public String view(@Descriptor("[-t udp|tcp] rtsp://host[:port]/path (udp unless -t tcp)") String... words) {
        String transport = "udp";
        String url = null;
        int i = 0;
        int n = words == null ? 0 : words.length;
        while (i < n) {
            String word = words[i];
            if (word.equals("-t") || word.equals("--transport")) {
                if (i + 1 >= n) {
                    return USAGE;
                }
                transport = words[i + 1];
                i += 2;
            } else if (url == null) {
                url = word;
                i++;
            } else {
                return USAGE;
            }
        }
        if (url == null || url.isBlank()) {
            return USAGE;
        }
        return open(transport, url);
    }

    /** Opens a window playing {@code url} over {@code transport} ({@code udp} or {@code tcp}). */
    String open(String transport, String url) {
        LowerTransport t;
        try {
            t = LowerTransport.valueOf(transport.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return "transport must be udp or tcp, not " + transport;
        }
        if (GraphicsEnvironment.isHeadless()) {
            return NO_DISPLAY;
        }
        if (!active) {
            return "the viewer is stopping";
        }
        ViewerWindow[] opened = new ViewerWindow[1];
        opened[0] = ViewerWindow.open(url, t, true, httpPort, () -> {
            if (opened[0] != null) {
                windows.remove(opened[0]);
            }
        });
        windows.add(opened[0]);
        if (opened[0].isClosed()) {
            windows.remove(opened[0]);
        }
        return "viewer opened for " + url + " (" + t + ")";
    }

    /** The windows open now. */
    int windows() {
        return windows.size();
    }

    @Deactivate
    void deactivate() {
        active = false;
        for (ViewerWindow w : windows) {
            w.close();
        }
        windows.clear();
    }

    private static int httpPort(String property) {
        if (property != null) {
            try {
                return Integer.parseInt(property.strip());
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return StreamCatalog.DEFAULT_HTTP_PORT;
    }
}
