package org.tributary.core.internal;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where streams created through {@link org.tributary.api.Streams#create} and the set of stopped streams are
 * kept: Config Admin in the framework ({@link ConfigAdminStore}), memory in unit tests. Every method may block
 * on the store's disk; callers hold no lock a frame or a viewer waits for.
 */
interface ConfigurationStore {

    /**
     * A stream's stored configuration.
     *
     * @param pid its configuration PID
     * @param factoryPid its source type's factory PID
     * @param properties its properties without the {@code service.*} bookkeeping of Config Admin
     */
    record Stored(String pid, String factoryPid, Map<String, Object> properties) {
        public Stored {
            properties = Map.copyOf(properties);
        }
    }

    /** The configuration of one of {@code factoryPids} whose {@code name} property is {@code name}. */
    Optional<Stored> find(String name, Collection<String> factoryPids) throws IOException;

    /** Stores a new factory configuration of {@code factoryPid} for the stream {@code name}. */
    void create(String factoryPid, String name, Map<String, Object> properties) throws IOException;

    /** Replaces the properties of a stored configuration. */
    void update(Stored stored, Map<String, Object> properties) throws IOException;

    /** Removes a stored configuration; its source then unregisters the stream. */
    void delete(Stored stored) throws IOException;

    /** The names of the streams an operator stopped, as last saved. */
    Set<String> loadStopped() throws IOException;

    /** Saves the names of the stopped streams. */
    void saveStopped(Set<String> names) throws IOException;
}
