package org.tributary.runtime.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Holds the shell back until the server answers: the runtime starts at start level 3 (everything but the shell,
 * see tributary.bndrun); there this waits until the default streams ({@code demo}, {@code movie.Mjpeg},
 * {@code stream}, as far as they are turned on) answer a DESCRIBE with 200 and the HTTP port accepts connections,
 * logs {@code Tributary ready: ...} with their URLs, and only then raises the start level to the last one, where
 * the shell and its {@code g!} prompt start. What does not come up within {@link #WAIT} is logged with what it
 * answered, and the runtime goes on without it.
 */
final class Readiness implements FrameworkListener {

    /** The longest wait for the defaults; a busy machine writing the demo clip takes seconds, not minutes. */
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The start level the runtime begins at (tributary.bndrun): everything up, the shell not yet. */
    static final int HELD_LEVEL = 3;

    private static final System.Logger LOG = System.getLogger(Readiness.class.getName());

    private final BundleContext context;
    private final FrameworkStartLevel startLevel;
    private volatile Thread waiter;

    Readiness(BundleContext context) {
        this.context = context;
        this.startLevel = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkStartLevel.class);
    }

    void start() {
        context.addFrameworkListener(this);
        if (startLevel.getStartLevel() >= HELD_LEVEL) {
            check();
        }
    }

    void stop() {
        context.removeFrameworkListener(this);
        Thread t = waiter;
        if (t != null) {
            t.interrupt();
        }
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        if (event.getType() == FrameworkEvent.STARTLEVEL_CHANGED || event.getType() == FrameworkEvent.STARTED) {
            check();
        }
    }

    private synchronized void check() {
        if (waiter != null || startLevel.getStartLevel() != HELD_LEVEL) {
            return;
        }
        int target = finalLevel();
        if (target <= HELD_LEVEL) {
            return;
        }
        Thread t = new Thread(() -> awaitAndRelease(target), "tributary-ready");
        t.setDaemon(true);
        waiter = t;
        t.start();
    }

    /** One above the highest start level of any bundle and of bundles installed later: every bundle starts. */
    private int finalLevel() {
        int max = startLevel.getInitialBundleStartLevel();
        for (Bundle b : context.getBundles()) {
            BundleStartLevel level = b.adapt(BundleStartLevel.class);
            if (level != null) {
                max = Math.max(max, level.getStartLevel());
            }
        }
        return max + 1;
    }

    private void awaitAndRelease(int target) {
        int rtspPort = port(context.getProperty("tributary.rtsp.port"), 8554);
        int httpPort = port(context.getProperty("org.osgi.service.http.port"), 8080);
        boolean http = !"false".equalsIgnoreCase(String.valueOf(context.getProperty("org.apache.felix.http.enable")));
        Map<String, String> urls = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        if (!"false".equalsIgnoreCase(String.valueOf(context.getProperty("tributary.demo")).strip())) {
            paths.add("demo");
            paths.add("movie.Mjpeg");
        }
        if (!"false".equalsIgnoreCase(String.valueOf(context.getProperty("tributary.stream")).strip())) {
            paths.add("stream");
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> missing = new ArrayList<>();
        try {
            for (String path : paths) {
                String url = "rtsp://localhost:" + rtspPort + "/" + path;
                int status = -1;
                // Not there yet: no answer or 404. Any other answer is the stream's own (a failing one says why).
                while (((status = describe(rtspPort, path)) == -1 || status == 404) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                if (status == 200) {
                    urls.put(path, url);
                } else {
                    missing.add(url + (status < 0 ? " (the RTSP port does not answer)"
                            : " (DESCRIBE answers " + status + ")"));
                }
            }
            if (paths.isEmpty()) {
                while (!accepts(rtspPort) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            }
            if (http) {
                while (!accepts(httpPort) && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                if (accepts(httpPort)) {
                    urls.put("web", "http://localhost:" + httpPort + "/");
                } else {
                    missing.add("http://localhost:" + httpPort + "/ (the HTTP port does not answer)");
                }
            }
        } catch (InterruptedException e) {
            return;
        }
        if (!missing.isEmpty()) {
            LOG.log(Level.WARNING, "not serving: {0}; starting the shell anyway (the log above says why)",
                    String.join(", ", missing));
        }
        LOG.log(Level.INFO, "Tributary ready: {0}", urls.isEmpty() ? "rtsp://localhost:" + rtspPort
                : String.join(" ", urls.values()));
        if (startLevel.getStartLevel() == HELD_LEVEL) {
            startLevel.setStartLevel(target);
        }
    }

    private static int describe(int port, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("DESCRIBE rtsp://127.0.0.1:" + port + "/" + path
                    + " RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: tributary-ready\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            return line != null && line.startsWith("RTSP/1.0 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int port(String value, int fallback) {
        try {
            return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
