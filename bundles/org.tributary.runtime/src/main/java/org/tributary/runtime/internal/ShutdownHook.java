package org.tributary.runtime.internal;

import java.lang.System.Logger.Level;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Stops the framework when the JVM is asked to end (SIGTERM, Ctrl-C), so every bundle stops cleanly: sessions
 * get RTCP BYE, ports are released, configuration is written. The launcher does not do this itself.
 */
@Component(immediate = true, service = {})
public final class ShutdownHook {

    private static final System.Logger LOG = System.getLogger(ShutdownHook.class.getName());
    private static final long STOP_TIMEOUT_MILLIS = 30_000;

    private final Thread hook;

    @Activate
    public ShutdownHook(BundleContext context) {
        Framework framework = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(Framework.class);
        this.hook = new Thread(() -> stop(framework), "tributary-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private static void stop(Framework framework) {
        try {
            LOG.log(Level.INFO, "stopping the framework");
            framework.stop();
            framework.waitForStop(STOP_TIMEOUT_MILLIS);
        } catch (BundleException e) {
            LOG.log(Level.ERROR, "the framework did not stop cleanly: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void deactivate() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is shutting down and this hook is what stops the framework: nothing to remove.
        }
    }
}
