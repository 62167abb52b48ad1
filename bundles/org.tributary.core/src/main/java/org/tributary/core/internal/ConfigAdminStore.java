package org.tributary.core.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The {@link ConfigurationStore} in Config Admin, persisted by it across restarts and bundle updates
 * (DESIGN.md, hot-swap rule 5).
 *
 * <p>A stream's configuration is the factory configuration {@code <factoryPid>~<alias>} where the alias is the
 * stream's name with {@code /} as {@code _} (so a {@code deploy/} file named after it is easy to find), and
 * with a hash of the name appended if another stream already holds that alias ({@code a/b} and {@code a_b}).
 * Configurations are bound to the location {@code ?} so any bundle (the source's, a new version of it) gets
 * them. The stopped streams are the property {@value #STOPPED} of the configuration {@value #CORE_PID}.
 */
final class ConfigAdminStore implements ConfigurationStore {

    /** The configuration PID of the stream core's own persisted state. */
    static final String CORE_PID = "org.tributary.core";

    /** Property of {@value #CORE_PID}: the names of the stopped streams. */
    static final String STOPPED = "stopped";

    private static final String ANY_LOCATION = "?";

    final ConfigurationAdmin admin;

    ConfigAdminStore(ConfigurationAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Optional<Stored> find(String name, Collection<String> factoryPids) throws IOException {
        if (factoryPids.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder filter = new StringBuilder("(&(").append(Settings.NAME).append('=').append(escape(name))
                .append(")(|");
        for (String pid : factoryPids) {
            filter.append('(').append(ConfigurationAdmin.SERVICE_FACTORYPID).append('=').append(escape(pid))
                    .append(')');
        }
        filter.append("))");
        Configuration[] found = list(filter.toString());
        if (found == null || found.length == 0) {
            return Optional.empty();
        }
        // Two configurations naming one stream can only come from hand-written files; the first PID is stable.
        Configuration first = Arrays.stream(found).min(Comparator.comparing(Configuration::getPid)).orElseThrow();
        return Optional.of(new Stored(first.getPid(), first.getFactoryPid(), properties(first)));
    }

    @Override
    public void create(String factoryPid, String name, Map<String, Object> properties) throws IOException {
        String alias = alias(name);
        Configuration configuration = admin.getFactoryConfiguration(factoryPid, alias, ANY_LOCATION);
        if (configuration.getProperties() != null) {
            alias = alias + "-" + String.format("%08x", name.hashCode());
            configuration = admin.getFactoryConfiguration(factoryPid, alias, ANY_LOCATION);
            if (configuration.getProperties() != null) {
                throw new IOException("the configuration " + configuration.getPid() + " already exists for another "
                        + "stream; choose another name");
            }
        }
        configuration.update(dictionary(properties));
    }

    @Override
    public void update(Stored stored, Map<String, Object> properties) throws IOException {
        configuration(stored).update(dictionary(properties));
    }

    @Override
    public void delete(Stored stored) throws IOException {
        configuration(stored).delete();
    }

    @Override
    public Set<String> loadStopped() throws IOException {
        Configuration[] found = list("(" + Constants.SERVICE_PID + "=" + CORE_PID + ")");
        if (found == null || found.length == 0 || found[0].getProperties() == null) {
            return Set.of();
        }
        return names(found[0].getProperties().get(STOPPED));
    }

    @Override
    public void saveStopped(Set<String> names) throws IOException {
        Configuration configuration = admin.getConfiguration(CORE_PID, ANY_LOCATION);
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            properties = new Hashtable<>();
        }
        Set<String> sorted = new TreeSet<>(names);
        if (sorted.equals(names(properties.get(STOPPED))) && properties.get(STOPPED) != null) {
            return;
        }
        properties.put(STOPPED, sorted.toArray(String[]::new));
        configuration.update(properties);
    }

    /** The alias of a stream's factory configuration. */
    static String alias(String name) {
        return name.replace('/', '_');
    }

    /** {@code value} with the characters that mean something in an LDAP filter escaped. */
    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    /** The stopped names from the stored property: an array or list, or text separated by commas (a .cfg file). */
    static Set<String> names(Object value) {
        Set<String> names = new LinkedHashSet<>();
        if (value instanceof String s) {
            for (String part : s.split(",")) {
                add(names, part);
            }
        } else if (value instanceof String[] array) {
            for (String part : array) {
                add(names, part);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object part : collection) {
                add(names, String.valueOf(part));
            }
        }
        return names;
    }

    private static void add(Set<String> names, String part) {
        String name = part == null ? "" : part.strip();
        if (!name.isEmpty()) {
            names.add(name);
        }
    }

    private Configuration configuration(Stored stored) throws IOException {
        Configuration[] found = list("(" + Constants.SERVICE_PID + "=" + escape(stored.pid()) + ")");
        if (found == null || found.length == 0) {
            throw new IOException("the configuration " + stored.pid() + " was removed meanwhile");
        }
        return found[0];
    }

    private Configuration[] list(String filter) throws IOException {
        try {
            return admin.listConfigurations(filter);
        } catch (InvalidSyntaxException e) {
            throw new IOException("bad configuration filter " + filter + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> properties(Configuration configuration) {
        Map<String, Object> map = new HashMap<>();
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties == null) {
            return map;
        }
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (!key.equals(Constants.SERVICE_PID) && !key.equals(ConfigurationAdmin.SERVICE_FACTORYPID)
                    && !key.equals(ConfigurationAdmin.SERVICE_BUNDLELOCATION)) {
                map.put(key, properties.get(key));
            }
        }
        return map;
    }

    private static Dictionary<String, Object> dictionary(Map<String, Object> properties) {
        Hashtable<String, Object> table = new Hashtable<>();
        properties.forEach((k, v) -> {
            if (v != null) {
                table.put(k, v);
            }
        });
        return table;
    }
}
