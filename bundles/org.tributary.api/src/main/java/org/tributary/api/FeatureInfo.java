package org.tributary.api;

import java.util.List;

/**
 * A feature and whether it is installed. Immutable.
 *
 * @param name the short name ({@code core})
 * @param id the feature id ({@code org.tributary:core:osgifeature:1.0.0})
 * @param installed whether every bundle of the feature is installed
 * @param bundles the feature's bundles as Maven coordinates ({@code group:artifact:version})
 */
public record FeatureInfo(String name, String id, boolean installed, List<String> bundles) {

    public FeatureInfo {
        bundles = List.copyOf(bundles);
    }
}
