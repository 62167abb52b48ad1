package org.tributary.shell.internal;

import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.tributary.api.FeatureException;
import org.tributary.api.FeatureInfo;
import org.tributary.api.Features;

/**
 * Gogo commands for features: {@code tributary:features} lists them, {@code tributary:feature install NAME}
 * and {@code tributary:feature uninstall NAME} change what is installed. Errors come back as one line.
 */
@Component(service = FeatureCommands.class, property = {
        "osgi.command.scope=tributary",
        "osgi.command.function=features",
        "osgi.command.function=feature" })
public final class FeatureCommands {

    private final Features features;

    @Activate
    public FeatureCommands(@Reference Features features) {
        this.features = features;
    }

    @Descriptor("list the features (named sets of bundles) and whether each is installed")
    public String features() {
        List<FeatureInfo> all = features.list();
        if (all.isEmpty()) {
            return "no features found (see the tributary.features property)";
        }
        StringBuilder out = new StringBuilder(String.format("%-10s %-10s %s%n", "FEATURE", "STATE", "BUNDLES"));
        for (FeatureInfo f : all) {
            out.append(String.format("%-10s %-10s %d%n", f.name(), f.installed() ? "installed" : "-", f.bundles().size()));
        }
        return out.toString().stripTrailing();
    }

    @Descriptor("install or uninstall a feature: feature install|uninstall NAME")
    public String feature(@Descriptor("install or uninstall") String action,
            @Descriptor("feature name (e.g. web), id, or path of a feature file") String name) {
        try {
            switch (action.toLowerCase(Locale.ROOT)) {
                case "install":
                    return "installed feature " + features.install(name).name();
                case "uninstall":
                    return "uninstalled feature " + features.uninstall(name).name();
                default:
                    return "unknown action '" + action + "': use feature install NAME or feature uninstall NAME";
            }
        } catch (FeatureException e) {
            return e.getMessage();
        }
    }
}
