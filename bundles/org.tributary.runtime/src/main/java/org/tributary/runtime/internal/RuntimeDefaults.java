package org.tributary.runtime.internal;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

/**
 * The settings a plain {@code java -jar tributary.jar} needs to run like {@code scripts/run.sh}, filled in as
 * system properties at start level 2, before the bundles that read them start; a property already set (on the
 * command line, by the run script) is left alone:
 * <ul>
 * <li>{@code felix.cm.dir} = {@code tributary.data/config}, {@code felix.fileinstall.dir} = {@code tributary.deploy}
 * (both directories are created), {@code org.osgi.service.http.port} = {@code tributary.http.port};</li>
 * <li>{@code java.awt.headless=true}, unless {@code tributary.viewer=true} asks for windows: a server has no
 * use for a display, and a {@code DISPLAY} naming no X server would make drawing fail;</li>
 * <li>with no terminal: {@code gosh.args=--noshutdown} (the shell runs what arrives on standard input, then steps
 * aside and the server keeps running) and a dumb JLine terminal.</li>
 * </ul>
 */
final class RuntimeDefaults {

    static final String DATA = "tributary.data";
    static final String DEPLOY = "tributary.deploy";
    static final String HTTP_PORT = "tributary.http.port";
    static final String VIEWER = "tributary.viewer";

    private static final System.Logger LOG = System.getLogger(RuntimeDefaults.class.getName());

    private RuntimeDefaults() {
    }

    static void apply(BundleContext context) {
        String data = value(context, DATA, "data");
        String deploy = value(context, DEPLOY, "deploy");
        setIfAbsent(context, "felix.cm.dir", Path.of(data, "config").toString());
        setIfAbsent(context, "felix.fileinstall.dir", deploy);
        String httpPort = context.getProperty(HTTP_PORT);
        if (httpPort != null && !httpPort.isBlank()) {
            setIfAbsent(context, "org.osgi.service.http.port", httpPort.strip());
        }
        createDirectory(Path.of(context.getProperty("felix.cm.dir")));
        createDirectory(Path.of(context.getProperty("felix.fileinstall.dir")));

        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless",
                    String.valueOf(!"true".equalsIgnoreCase(String.valueOf(context.getProperty(VIEWER)).strip())));
        }
        if (!terminal()) {
            setIfAbsent(context, "gosh.args", "--noshutdown");
            setIfAbsent(context, "org.jline.terminal.dumb", "true");
        }
    }

    private static String value(BundleContext context, String name, String fallback) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? fallback : v.strip();
    }

    private static void setIfAbsent(BundleContext context, String name, String value) {
        if (context.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot create the directory {0}: {1}", dir, e.toString());
        }
    }

    /** Whether this JVM talks to a terminal (standard input and output both). */
    static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Java 22+ gives a console even without a terminal and tells which with isTerminal().
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
