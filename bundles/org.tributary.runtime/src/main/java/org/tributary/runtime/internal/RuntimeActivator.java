package org.tributary.runtime.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Started at start level 2, before everything that serves: fills in the runtime's defaults
 * ({@link RuntimeDefaults}) and sends {@code java.util.logging} to SLF4J ({@link LogBridge}).
 */
public final class RuntimeActivator implements BundleActivator {

    private final LogBridge logBridge = new LogBridge();

    @Override
    public void start(BundleContext context) {
        RuntimeDefaults.apply(context);
        logBridge.start(context);
    }

    @Override
    public void stop(BundleContext context) {
        logBridge.stop(context);
    }
}
