package org.tributary.features.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureConfiguration;
import org.osgi.service.feature.FeatureService;
import org.osgi.service.feature.ID;
import org.tributary.api.FeatureException;
import org.tributary.api.FeatureInfo;
import org.tributary.api.Features;

/**
 * Installs the bundles of OSGi feature files ({@code <name>.json} in the features directory) from a bundle
 * repository in Maven layout, and uninstalls them again.
 *
 * <p>Where things are, from framework or system properties: {@code tributary.features} (default
 * {@code <tributary.home>/features}, else {@code ./features}) and {@code tributary.repository} (default
 * {@code <tributary.home>/bundles}, then {@code ~/.m2/repository}). A bundle counts as installed when a bundle
 * of the same symbolic name is, whoever installed it.
 */
@Component(service = Features.class)
public final class FeatureInstaller implements Features {

    private final BundleContext context;
    private final FeatureService featureService;
    private final Path featuresDir;
    private final List<Path> repositories;
    private final Object lock = new Object();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configAdmin;

    @Activate
    public FeatureInstaller(BundleContext context, @Reference FeatureService featureService) {
        this.context = context;
        this.featureService = featureService;
        String home = property(context, "tributary.home");
        this.featuresDir = Path.of(Optional.ofNullable(property(context, "tributary.features"))
                .orElse(home != null ? home + "/features" : "features"));
        List<Path> repos = new ArrayList<>();
        String repo = property(context, "tributary.repository");
        if (repo != null) {
            repos.add(Path.of(repo));
        } else if (home != null) {
            repos.add(Path.of(home, "bundles"));
        }
        repos.add(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        this.repositories = List.copyOf(repos);
    }

    private static String property(BundleContext context, String key) {
        String value = context.getProperty(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public List<FeatureInfo> list() {
        List<FeatureInfo> result = new ArrayList<>();
        for (Map.Entry<String, Path> e : featureFiles().entrySet()) {
            try {
                result.add(info(e.getKey(), read(e.getValue())));
            } catch (FeatureException ex) {
                result.add(new FeatureInfo(e.getKey(), "unreadable: " + ex.getMessage(), false, List.of()));
            }
        }
        return result;
    }

    @Override
    public FeatureInfo install(String name) throws FeatureException {
        synchronized (lock) {
            Feature feature = find(name);
            String shortName = shortName(name);
            List<Bundle> installedNow = new ArrayList<>();
            try {
                for (FeatureBundle fb : feature.getBundles()) {
                    Path jar = locate(fb.getID());
                    String bsn = symbolicName(jar);
                    if (installed(bsn).isPresent()) {
                        continue;
                    }
                    installedNow.add(context.installBundle(jar.toUri().toString()));
                }
                for (Bundle b : installedNow) {
                    if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                        b.start();
                    }
                }
                applyConfigurations(feature);
            } catch (BundleException | IOException | RuntimeException e) {
                for (Bundle b : installedNow) {
                    try {
                        b.uninstall();
                    } catch (BundleException | IllegalStateException ignored) {
                        // already gone; nothing else to undo
                    }
                }
                refresh(installedNow);
                throw new FeatureException("feature '" + shortName + "' could not be installed: " + e.getMessage(), e);
            }
            return info(shortName, feature);
        }
    }

    @Override
    public FeatureInfo uninstall(String name) throws FeatureException {
        synchronized (lock) {
            Feature feature = find(name);
            String shortName = shortName(name);
            Map<String, Bundle> toRemove = new LinkedHashMap<>();
            for (FeatureBundle fb : feature.getBundles()) {
                String bsn = symbolicName(fb.getID());
                installed(bsn).ifPresent(b -> toRemove.put(bsn, b));
            }
            if (toRemove.isEmpty()) {
                throw new FeatureException("feature '" + shortName + "' is not installed");
            }
            if (toRemove.containsKey(context.getBundle().getSymbolicName())) {
                throw new FeatureException("feature '" + shortName + "' holds the feature installer itself and stays installed");
            }
            // Keep what another installed feature still lists.
            for (Map.Entry<String, Path> other : featureFiles().entrySet()) {
                if (other.getKey().equals(shortName)) {
                    continue;
                }
                Feature f;
                try {
                    f = read(other.getValue());
                } catch (FeatureException e) {
                    continue;
                }
                if (info(other.getKey(), f).installed()) {
                    for (FeatureBundle fb : f.getBundles()) {
                        toRemove.remove(symbolicName(fb.getID()));
                    }
                }
            }
            List<Bundle> removed = new ArrayList<>();
            for (Bundle b : toRemove.values()) {
                try {
                    b.uninstall();
                    removed.add(b);
                } catch (BundleException e) {
                    throw new FeatureException("bundle " + b.getSymbolicName() + " of feature '" + shortName
                            + "' could not be uninstalled: " + e.getMessage(), e);
                }
            }
            refresh(removed);
            return info(shortName, feature);
        }
    }

    private FeatureInfo info(String shortName, Feature feature) {
        List<String> coordinates = new ArrayList<>();
        boolean all = true;
        for (FeatureBundle fb : feature.getBundles()) {
            ID id = fb.getID();
            coordinates.add(id.getGroupId() + ":" + id.getArtifactId() + ":" + id.getVersion());
            all &= installed(symbolicName(id)).isPresent();
        }
        return new FeatureInfo(shortName, feature.getID().toString(), all && !coordinates.isEmpty(), coordinates);
    }

    private Optional<Bundle> installed(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && b.getState() != Bundle.UNINSTALLED) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private Feature find(String name) throws FeatureException {
        if (name == null || name.isBlank()) {
            throw new FeatureException("no feature named; known features: " + featureFiles().keySet());
        }
        Path file = name.endsWith(".json") ? Path.of(name) : featureFiles().get(name);
        if (file == null) {
            for (Map.Entry<String, Path> e : featureFiles().entrySet()) {
                Feature f = read(e.getValue());
                if (f.getID().toString().equals(name)) {
                    return f;
                }
            }
            throw new FeatureException("unknown feature '" + name + "'; known features: " + featureFiles().keySet()
                    + " (from " + featuresDir.toAbsolutePath() + ")");
        }
        return read(file);
    }

    private static String shortName(String name) {
        String n = name.endsWith(".json") ? Path.of(name).getFileName().toString() : name;
        return n.endsWith(".json") ? n.substring(0, n.length() - 5) : n;
    }

    private Feature read(Path file) throws FeatureException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return featureService.readFeature(reader);
        } catch (IOException | RuntimeException e) {
            throw new FeatureException("cannot read feature file " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Path> featureFiles() {
        Map<String, Path> files = new TreeMap<>();
        if (Files.isDirectory(featuresDir)) {
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(featuresDir, "*.json")) {
                for (Path p : dir) {
                    files.put(shortName(p.getFileName().toString()), p);
                }
            } catch (IOException e) {
                // An unreadable directory lists no features; install names the directory in its error.
            }
        }
        return files;
    }

    private Path locate(ID id) throws FeatureException {
        String relative = id.getGroupId().replace('.', '/') + "/" + id.getArtifactId() + "/" + id.getVersion() + "/"
                + id.getArtifactId() + "-" + id.getVersion() + id.getClassifier().map(c -> "-" + c).orElse("") + "."
                + id.getType().orElse("jar");
        for (Path repo : repositories) {
            Path jar = repo.resolve(relative);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new FeatureException("bundle " + id + " not found in " + repositories);
    }

    private String symbolicName(ID id) {
        try {
            return symbolicName(locate(id));
        } catch (FeatureException | IOException e) {
            return id.getArtifactId();
        }
    }

    private static String symbolicName(Path jar) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            Manifest mf = jf.getManifest();
            String bsn = mf == null ? null : mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null) {
                throw new IOException(jar + " is not a bundle (no Bundle-SymbolicName)");
            }
            int semi = bsn.indexOf(';');
            return (semi < 0 ? bsn : bsn.substring(0, semi)).trim();
        }
    }

    private void applyConfigurations(Feature feature) throws IOException {
        Map<String, FeatureConfiguration> configs = feature.getConfigurations();
        if (configs.isEmpty()) {
            return;
        }
        ConfigurationAdmin ca = configAdmin;
        if (ca == null) {
            throw new IOException("Configuration Admin is not running; the feature's configurations cannot be applied");
        }
        for (FeatureConfiguration fc : configs.values()) {
            Configuration c = fc.getFactoryPid().isPresent()
                    ? ca.getFactoryConfiguration(fc.getFactoryPid().get(), fc.getPid().substring(fc.getPid().indexOf('~') + 1), "?")
                    : ca.getConfiguration(fc.getPid(), "?");
            Dictionary<String, Object> props = new Hashtable<>(fc.getValues());
            c.updateIfDifferent(props);
        }
    }

    /** Lets the framework drop the wiring of removed bundles, so nothing of them is left behind. */
    private void refresh(List<Bundle> bundles) {
        if (bundles.isEmpty()) {
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        FrameworkWiring wiring = context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
