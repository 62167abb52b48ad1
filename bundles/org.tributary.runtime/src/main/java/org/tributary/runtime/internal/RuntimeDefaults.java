package org.tributary.runtime.internal;

import org.osgi.framework.BundleContext;

/**
 * Defaults filled in as system properties at start level 2, before the bundles that read them start; a property
 * already set on the command line is left alone: {@code java.awt.headless=true}, unless {@code tributary.viewer=true}
 * asks for windows (a server has no use for a display, and a {@code DISPLAY} naming no X server would make
 * drawing fail).
 */
final class RuntimeDefaults {

    static final String VIEWER = "tributary.viewer";

    private RuntimeDefaults() {
    }

    static void apply(BundleContext context) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless",
                    String.valueOf(!"true".equalsIgnoreCase(String.valueOf(context.getProperty(VIEWER)).strip())));
        }
    }
}
