package org.tributary.shell.internal;

import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
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

    static final String ABSENT = "the feature installer is not running (bundle org.tributary.features)";
    static final String USAGE = "usage: feature install NAME | feature uninstall NAME";

    // Optional and dynamic: the commands stay registered and say why while the installer is away.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Features features;

    @Descriptor("list the features (named sets of bundles) and whether each is installed")
    public String features() {
        Features f = features;
        if (f == null) {
            return ABSENT;
        }
        try {
            List<FeatureInfo> all = f.list();
            if (all.isEmpty()) {
                return "no features found (see the tributary.features property)";
            }
            Table table = new Table().left("FEATURE").left("STATE").right("BUNDLES");
            for (FeatureInfo feature : all) {
                table.row(feature.name(), feature.installed() ? "installed" : "-", feature.bundles().size());
            }
            return table.toString();
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    @Descriptor("install or uninstall a feature: feature install NAME, feature uninstall NAME")
    public String feature(@Descriptor("install or uninstall, then the feature's name (e.g. web), id, or the path "
            + "of a feature file") String... words) {
        if (words == null || words.length != 2) {
            return USAGE;
        }
        Features f = features;
        if (f == null) {
            return ABSENT;
        }
        String action = words[0];
        String name = words[1];
        try {
            switch (action.toLowerCase(Locale.ROOT)) {
                case "install":
                    return "installed feature " + f.install(name).name();
                case "uninstall":
                    return "uninstalled feature " + f.uninstall(name).name();
                default:
                    return "unknown action '" + action + "'; " + USAGE;
            }
        } catch (FeatureException e) {
            return Answers.oneLine(e.getMessage(), "feature " + action + " failed");
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }
}
