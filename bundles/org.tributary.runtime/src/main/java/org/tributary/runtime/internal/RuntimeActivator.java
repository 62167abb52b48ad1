package org.tributary.runtime.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Started at start level 2, before everything that serves: fills in the runtime's defaults
 * ({@link RuntimeDefaults}), sends {@code java.util.logging} and the OSGi Log Service's loggers to SLF4J ({@link LogBridge},
 * {@link Slf4jLoggerFactory}), holds the shell
 * back until the server answers ({@link Readiness}) and lets it find a real terminal ({@link ShellTerminal}).
 */
public final class RuntimeActivator implements BundleActivator {

    private final LogBridge logBridge = new LogBridge();
    private final Slf4jLoggerFactory loggerFactory = new Slf4jLoggerFactory();
    private Readiness readiness;
    private ShellTerminal shellTerminal;

    @Override
    public void start(BundleContext context) {
        RuntimeDefaults.apply(context);
        logBridge.start(context);
        loggerFactory.start(context);
        shellTerminal = new ShellTerminal(context);
        shellTerminal.start();
        readiness = new Readiness(context);
        readiness.start();
    }

    @Override
    public void stop(BundleContext context) {
        if (readiness != null) {
            readiness.stop();
        }
        if (shellTerminal != null) {
            shellTerminal.stop();
        }
        loggerFactory.stop();
        logBridge.stop(context);
    }
}
