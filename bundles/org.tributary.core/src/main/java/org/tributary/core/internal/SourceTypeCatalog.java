package org.tributary.core.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.osgi.framework.Bundle;
import org.osgi.resource.Capability;
import org.tributary.api.SourceType;

/**
 * The source types installed now: every {@value SourceType#NAMESPACE} capability of the bundles that are
 * active or starting, kept per bundle so a bundle leaving takes exactly its own types along.
 *
 * <p>When two bundles declare the same type, the one with the lower bundle id (installed first) provides it
 * and the other is ignored until the first leaves: a type must map to one factory PID.
 *
 * <p>Thread-safe: changes replace an immutable snapshot under the catalog's lock; reads never block.
 */
final class SourceTypeCatalog {

    private static final System.Logger LOG = System.getLogger(SourceTypeCatalog.class.getName());

    /**
     * A source type and the bundle that declares it.
     *
     * @param bundle the declaring bundle (for its metatype), {@code null} where none is at hand (tests)
     */
    record Entry(SourceType type, long bundleId, Bundle bundle) {
    }

    // Guarded by this.
    private final Map<Long, List<Entry>> byBundle = new TreeMap<>();
    private volatile Map<String, Entry> byType = Map.of();

    /**
     * The source types declared by {@code capabilities} of the bundle {@code bsn}; capabilities without a type or
     * a factory PID are skipped with a warning naming the bundle.
     */
    static List<SourceType> parse(String bsn, List<? extends Capability> capabilities) {
        List<SourceType> types = new ArrayList<>();
        for (Capability capability : capabilities) {
            if (!SourceType.NAMESPACE.equals(capability.getNamespace())) {
                continue;
            }
            Map<String, Object> attributes = capability.getAttributes();
            String type = text(attributes.get(SourceType.NAMESPACE));
            String factoryPid = text(attributes.get(SourceType.FACTORY_PID));
            if (type.isEmpty() || factoryPid.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "Bundle {0} declares a ''{1}'' capability without ''{1}'' or "
                        + "''{2}''; it is ignored", bsn, SourceType.NAMESPACE, SourceType.FACTORY_PID);
                continue;
            }
            types.add(new SourceType(type, factoryPid, text(attributes.get(SourceType.DESCRIPTION)), bsn));
        }
        return types;
    }

    /** A bundle's types arrived (or changed). */
    void put(long bundleId, Bundle bundle, List<SourceType> types) {
        List<Entry> entries = types.stream().map(t -> new Entry(t, bundleId, bundle)).toList();
        synchronized (this) {
            if (entries.isEmpty()) {
                byBundle.remove(bundleId);
            } else {
                byBundle.put(bundleId, entries);
            }
            rebuildLocked();
        }
    }

    /** A bundle left (stopped, uninstalled). */
    void remove(long bundleId) {
        synchronized (this) {
            if (byBundle.remove(bundleId) != null) {
                rebuildLocked();
            }
        }
    }

    /** Every type, sorted by type. */
    List<SourceType> list() {
        return byType.values().stream().map(Entry::type).sorted(Comparator.comparing(SourceType::type)).toList();
    }

    /** The type of that name. */
    Optional<Entry> find(String type) {
        return Optional.ofNullable(type == null ? null : byType.get(type));
    }

    /** The type whose factory PID is {@code factoryPid}. */
    Optional<Entry> findByFactoryPid(String factoryPid) {
        return byType.values().stream().filter(e -> e.type().factoryPid().equals(factoryPid)).findFirst();
    }

    /** The installed types' names, sorted, for messages. */
    String names() {
        List<String> names = byType.keySet().stream().sorted().toList();
        return names.isEmpty() ? "none is installed" : "installed: " + String.join(", ", names);
    }

    private void rebuildLocked() {
        Map<String, Entry> next = new TreeMap<>();
        for (List<Entry> entries : byBundle.values()) {
            for (Entry entry : entries) {
                Entry first = next.putIfAbsent(entry.type().type(), entry);
                if (first != null && first.bundleId() != entry.bundleId()) {
                    LOG.log(System.Logger.Level.WARNING, "Source type ''{0}'' is declared by bundle {1} and by bundle "
                            + "{2}; {1} provides it", entry.type().type(), first.type().bundle(), entry.type().bundle());
                }
            }
        }
        byType = Collections.unmodifiableMap(next);
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString().strip();
    }
}
