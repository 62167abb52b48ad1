package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;
import org.tributary.api.FeatureInfo;
import org.tributary.api.Features;

/** A bundle comes and goes at runtime: its services with it, and nothing of it stays behind. */
class BundleLifecycleTest {

    private static final String INSTALLER = "org.tributary.features";

    @InjectBundleContext
    BundleContext context;

    @Test
    void installingABundleFromAFileRegistersItsServiceAndUninstallingLeavesNothingBehind(
            @InjectService(cardinality = 0, timeout = 10_000) ServiceAware<Features> features) throws Exception {
        assertTrue(features.isEmpty(), "no feature installer before the bundle is installed");

        Bundle bundle = context.installBundle(Repository.location(context, INSTALLER));
        bundle.start();

        Features service = features.waitForService(10_000);
        assertNotNull(service, "the Features service appears once the bundle starts");
        ServiceReference<Features> reference = features.getServiceReference();
        assertEquals(bundle, reference.getBundle(), "registered by the installed bundle");
        List<String> names = service.list().stream().map(FeatureInfo::name).toList();
        assertTrue(names.contains("core") && names.contains("sources"), "the service works: it reads the feature files " + names);

        bundle.uninstall();
        Frameworks.refresh(context);

        assertNull(features.getService(), "the service is gone with its bundle");
        assertTrue(Frameworks.bundles(context, INSTALLER).isEmpty(), "no bundle of that name is left");
        for (Bundle b : context.getBundles()) {
            ServiceReference<?>[] inUse = b.getServicesInUse();
            if (inUse != null) {
                for (ServiceReference<?> r : inUse) {
                    assertTrue(r.getBundle() != null, "no bundle holds a service of the uninstalled bundle: " + b);
                }
            }
        }
    }
}
