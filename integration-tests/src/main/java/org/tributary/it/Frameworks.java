package org.tributary.it;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;

/** Small framework chores the tests share. */
public final class Frameworks {

    private Frameworks() {
    }

    /** Refreshes the framework's wiring (after uninstalls) and waits until it is done. */
    public static void refresh(BundleContext context) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class)
                .refreshBundles(null, e -> {
                    if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED || e.getType() == FrameworkEvent.ERROR) {
                        done.countDown();
                    }
                });
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new AssertionError("framework refresh did not finish in 120 s");
        }
    }

    /** The installed bundles of that symbolic name. */
    public static List<Bundle> bundles(BundleContext context, String symbolicName) {
        return Arrays.stream(context.getBundles()).filter(b -> symbolicName.equals(b.getSymbolicName())).toList();
    }
}
