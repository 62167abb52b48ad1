package org.tributary.runtime.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleWiring;

/**
 * Lets the shell have a real terminal (line editing, history, completion): JLine finds its terminal providers
 * (exec, JNI, ...) through the thread's context class loader, which in the framework's start-level thread is
 * the launcher's and sees none of them, so JLine fell back to a dumb terminal. While a Gogo bundle starts (that
 * is when the shell builds its terminal), the context class loader also looks in the JLine bundle.
 */
final class ShellTerminal implements SynchronousBundleListener {

    private static final String GOGO = "org.apache.felix.gogo.";
    private static final String JLINE = "org.jline";

    private final BundleContext context;
    private final ThreadLocal<ClassLoader> saved = new ThreadLocal<>();

    ShellTerminal(BundleContext context) {
        this.context = context;
    }

    void start() {
        context.addBundleListener(this);
    }

    void stop() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String name = event.getBundle().getSymbolicName();
        if (name == null || !name.startsWith(GOGO)) {
            return;
        }
        Thread thread = Thread.currentThread();
        if (event.getType() == BundleEvent.STARTING) {
            ClassLoader jline = jlineLoader();
            if (jline != null) {
                saved.set(thread.getContextClassLoader());
                thread.setContextClassLoader(new FallbackLoader(thread.getContextClassLoader(), jline));
            }
        } else if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.STOPPED) {
            if (thread.getContextClassLoader() instanceof FallbackLoader) {
                thread.setContextClassLoader(saved.get());
            }
            saved.remove();
        }
    }

    private ClassLoader jlineLoader() {
        for (Bundle b : context.getBundles()) {
            if (JLINE.equals(b.getSymbolicName())) {
                BundleWiring wiring = b.adapt(BundleWiring.class);
                return wiring == null ? null : wiring.getClassLoader();
            }
        }
        return null;
    }

    /** The thread's own loader first, then the JLine bundle's, for classes and resources. */
    static final class FallbackLoader extends ClassLoader {
        private final ClassLoader fallback;

        FallbackLoader(ClassLoader first, ClassLoader fallback) {
            super(first);
            this.fallback = fallback;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            return fallback.loadClass(name);
        }

        @Override
        protected URL findResource(String name) {
            return fallback.getResource(name);
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return fallback.getResources(name);
        }
    }
}
