package org.tributary.core.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.BundleTracker;
import org.tributary.api.SourceType;

/**
 * Feeds a {@link SourceTypeCatalog} from the {@value SourceType#NAMESPACE} capabilities of the bundles that
 * are starting or active: a source type is offered while its bundle can serve it, and leaves when it stops.
 */
final class SourceTypeTracker extends BundleTracker<Long> {

    private final SourceTypeCatalog catalog;

    SourceTypeTracker(BundleContext context, SourceTypeCatalog catalog) {
        super(context, Bundle.STARTING | Bundle.ACTIVE, null);
        this.catalog = catalog;
    }

    @Override
    public Long addingBundle(Bundle bundle, BundleEvent event) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return null;
        }
        List<SourceType> types = SourceTypeCatalog.parse(bundle.getSymbolicName(),
                revision.getDeclaredCapabilities(SourceType.NAMESPACE));
        if (types.isEmpty()) {
            return null;
        }
        catalog.put(bundle.getBundleId(), bundle, types);
        return bundle.getBundleId();
    }

    @Override
    public void removedBundle(Bundle bundle, BundleEvent event, Long bundleId) {
        catalog.remove(bundleId);
    }
}
