package org.tributary.api;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Named sets of bundles that install and uninstall together ({@code core}, {@code sources}, {@code web},
 * {@code viewer}), read from OSGi feature files. Provided by the feature installer; used by the Gogo
 * commands and the REST API.
 *
 * <p>Thread-safe; install and uninstall may block while bundles start or stop, and run one at a time.
 */
@ProviderType
public interface Features {

    /** Every known feature, sorted by name. */
    List<FeatureInfo> list();

    /**
     * Installs and starts the feature's bundles that are not installed yet, and applies its configurations.
     *
     * @param name a feature's short name ({@code web}), its id, or the path of a feature file
     * @throws FeatureException if the feature is unknown or one of its bundles cannot be found or started;
     *         bundles installed by this call are uninstalled again
     */
    FeatureInfo install(String name) throws FeatureException;

    /**
     * Uninstalls the feature's bundles, except those another installed feature also lists.
     *
     * @throws FeatureException if the feature is unknown or not installed
     */
    FeatureInfo uninstall(String name) throws FeatureException;
}
