package org.tributary.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One log output for the runtime: records of {@code java.util.logging} and {@code System.Logger} (which logs
 * through it) go to SLF4J, like Netty's, Jetty's and the RTSP server's, so every line has the same form, and the
 * {@code org.slf4j.simpleLogger.*} properties set the levels of both: {@code java.util.logging} gets the same
 * levels, so what SLF4J would drop is not even formatted. Started at start level 2, after SLF4J and before the
 * bundles that log; stopping it gives {@code java.util.logging} its console back.
 */
public final class LogBridge implements BundleActivator {

    private static final String PREFIX = "org.slf4j.simpleLogger.log.";

    // java.util.logging holds its loggers weakly: a level set on one must be kept here to last.
    private final List<Logger> configured = new ArrayList<>();

    @Override
    public void start(BundleContext context) {
        Logger root = LogManager.getLogManager().getLogger("");
        Level defaultLevel = julLevel(System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "info"));
        if (defaultLevel != null) {
            root.setLevel(defaultLevel);
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            Level level = julLevel(System.getProperty(name));
            if (name.startsWith(PREFIX) && level != null) {
                Logger logger = Logger.getLogger(name.substring(PREFIX.length()));
                logger.setLevel(level);
                configured.add(logger);
            }
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        root.addHandler(new ReentrantSafeHandler());
    }

    @Override
    public void stop(BundleContext context) {
        SLF4JBridgeHandler.uninstall();
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                return;
            }
        }
        root.addHandler(new ConsoleHandler());
    }

    /**
     * The bridge, minus the records logged while it is handing one over: the first record makes SLF4J load its
     * {@code LoggerFactory}, SPI Fly weaves that class and logs about it at debug level through
     * {@code java.util.logging}, and handing that record to SLF4J would load {@code LoggerFactory} again on the same
     * thread (Felix: "Cycle detected", SLF4J falls back to a logger that drops everything). Those nested records
     * are dropped instead.
     */
    static final class ReentrantSafeHandler extends SLF4JBridgeHandler {
        private final ThreadLocal<Boolean> publishing = ThreadLocal.withInitial(() -> Boolean.FALSE);

        @Override
        public void publish(java.util.logging.LogRecord record) {
            if (publishing.get()) {
                return;
            }
            publishing.set(Boolean.TRUE);
            try {
                super.publish(record);
            } finally {
                publishing.set(Boolean.FALSE);
            }
        }
    }

    /** The {@code java.util.logging} level of an SLF4J Simple level name; {@code null} for an unknown name. */
    static Level julLevel(String slf4jLevel) {
        if (slf4jLevel == null) {
            return null;
        }
        return switch (slf4jLevel.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            case "info" -> Level.INFO;
            case "warn" -> Level.WARNING;
            case "error" -> Level.SEVERE;
            case "off" -> Level.OFF;
            default -> null;
        };
    }
}
