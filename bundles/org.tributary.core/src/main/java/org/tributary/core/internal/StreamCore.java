package org.tributary.core.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;
import org.tributary.api.MediaSource;
import org.tributary.api.OnDemandSource;
import org.tributary.api.Playback;
import org.tributary.api.SettingsCheck;
import org.tributary.api.SourceType;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.StreamStatistics;
import org.tributary.api.Streams;

/**
 * The stream core: the mount table of every registered {@link MediaSource}, and playback of its streams.
 *
 * <p>Mount table: a source is mounted under its {@value MediaSource#STREAM_NAME} property (a leading slash
 * is dropped). When several sources claim one name, the highest service ranking wins, then the lowest
 * service id; the others wait and the best of them takes over when the winner leaves. A source that leaves
 * (or loses its name to a better one) takes its stream down: every open playback of it ends with
 * {@link EndReason#SOURCE_GONE}; the name is out of the table before the viewers are told.
 *
 * <p>Configuration: streams are created, changed and deleted as factory configurations of their source type
 * (a {@value SourceType#NAMESPACE} capability of an active bundle, see {@link SourceTypeCatalog}), checked
 * against the type's metatype ({@link Settings}) and kept in Config Admin ({@link ConfigAdminStore}). An
 * operator's stop is remembered by name, so a stream mounted again under that name (its source restarted, the
 * framework restarted) is stopped from the start; the names are saved in Config Admin as well. Config Admin
 * and the metatype service are optional and dynamic: playback never depends on them, and when Config Admin
 * arrives the stops it remembers are applied.
 *
 * <p>Threads, all daemons, all ended by {@link #deactivate()}: {@code tributary-pacer} (the one pacing clock
 * of every on-demand playback), {@code tributary-reader-1..2} (reading ahead, closing readers), and up to
 * four {@code tributary-starter-N} (starting and stopping live feeds; they exit after 10 s idle).
 *
 * <p>Thread-safe. {@link #list()}, {@link #get(String)} and {@link #sourceTypes()} read immutable snapshots
 * and never block; bind, unbind and deactivation replace the table under one lock ({@code mounts}). The
 * operations that change configuration or stopped streams run one at a time under another ({@code control},
 * always taken before {@code mounts}), and may block on Config Admin; no frame or viewer waits for it.
 */
@Component(service = Streams.class, immediate = true)
public final class StreamCore implements Streams {

    private static final System.Logger LOG = System.getLogger(StreamCore.class.getName());
    private static final String SERVICE_ID = "service.id";
    private static final String SERVICE_RANKING = "service.ranking";
    private static final long STOP_WAIT_MILLIS = 5_000;
    private static final Duration MOUNT_WAIT = Duration.ofSeconds(2);

    /** What a stream that is configured but not mounted (yet) shows: nothing is known until its source says. */
    static final MediaInfo NOT_MOUNTED = new MediaInfo(Codec.JPEG, 0, 0, 25, null, List.of());

    /** A source registered under a name, mounted or waiting. */
    private record Candidate(MediaSource source, String name, String type, int ranking, long serviceId,
            boolean onDemand) {
        String describe() {
            return "service " + serviceId + " (type " + type + ", ranking " + ranking + (onDemand ? "" : ", always on")
                    + ")";
        }
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt(Candidate::ranking).reversed()
            .thenComparingLong(Candidate::serviceId);

    private final Pacer pacer;
    private final ReaderPool readers;
    private final ThreadPoolExecutor starter;
    private final NamedThreads starterThreads = new NamedThreads("tributary-starter");
    private final SourceTypeCatalog sourceTypes;
    private final SourceTypeTracker tracker;
    private final long mountWaitNanos;

    private final Object mounts = new Object();
    // Guarded by mounts.
    private final Map<String, List<Candidate>> candidates = new HashMap<>();
    // Guarded by mounts: the names an operator stopped, mounted or not.
    private final Set<String> stoppedNames = new TreeSet<>();
    // Guarded by mounts.
    private boolean closed;
    private volatile NavigableMap<String, MountedStream> table = Collections.emptyNavigableMap();

    private final Object control = new Object();
    // Guarded by control; null while Config Admin is absent.
    private ConfigurationStore store;
    private volatile SettingsSchemas schemas;
    // The checks source bundles register, by source type; every one of a type must pass.
    private final Map<String, List<SettingsCheck>> checks = new ConcurrentHashMap<>();

    /**
     * Starts the pacer, the reader pool and the (idle) starter executor, and tracks the source types of the
     * framework's bundles.
     */
    @Activate
    public StreamCore(BundleContext context) {
        this(new SourceTypeCatalog(), MOUNT_WAIT, context);
    }

    /** A stream core without a framework: no source types unless the caller adds them to {@code sourceTypes}. */
    StreamCore(SourceTypeCatalog sourceTypes, Duration mountWait) {
        this(sourceTypes, mountWait, null);
    }

    StreamCore() {
        this(new SourceTypeCatalog(), MOUNT_WAIT, null);
    }

    private StreamCore(SourceTypeCatalog sourceTypes, Duration mountWait, BundleContext context) {
        this.sourceTypes = sourceTypes;
        this.mountWaitNanos = mountWait.toNanos();
        pacer = new Pacer("tributary-pacer");
        readers = new ReaderPool("tributary-reader", 2);
        starter = new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), starterThreads);
        starter.allowCoreThreadTimeOut(true);
        if (context == null) {
            tracker = null;
        } else {
            tracker = new SourceTypeTracker(context, sourceTypes);
            tracker.open();
        }
    }

    /** Config Admin arrived (or a better one replaced it). */
    @Reference(service = ConfigurationAdmin.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindConfigurationAdmin")
    void bindConfigurationAdmin(ConfigurationAdmin admin) {
        useStore(new ConfigAdminStore(admin));
    }

    void unbindConfigurationAdmin(ConfigurationAdmin admin) {
        synchronized (control) {
            if (store instanceof ConfigAdminStore current && current.admin == admin) {
                store = null;
            }
        }
    }

    /** The metatype service arrived (or a better one replaced it). */
    @Reference(service = MetaTypeService.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindMetaTypeService")
    void bindMetaTypeService(MetaTypeService metaType) {
        schemas = new MetaTypeSchemas(metaType);
    }

    void unbindMetaTypeService(MetaTypeService metaType) {
        synchronized (control) {
            if (schemas instanceof MetaTypeSchemas current && current.metaType == metaType) {
                schemas = null;
            }
        }
    }

    /** A source type's check of its settings arrived. */
    @Reference(service = SettingsCheck.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindSettingsCheck")
    void bindSettingsCheck(SettingsCheck check, Map<String, Object> properties) {
        Object type = properties.get(MediaSource.SOURCE_TYPE);
        if (type == null) {
            LOG.log(System.Logger.Level.WARNING, "A settings check (service {0}) has no ''{1}'' property; ignored",
                    properties.get(SERVICE_ID), MediaSource.SOURCE_TYPE);
            return;
        }
        checks.compute(type.toString(), (k, list) -> {
            List<SettingsCheck> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(check);
            return List.copyOf(next);
        });
    }

    void unbindSettingsCheck(SettingsCheck check, Map<String, Object> properties) {
        for (String type : List.copyOf(checks.keySet())) {
            checks.computeIfPresent(type, (k, list) -> {
                List<SettingsCheck> next = new ArrayList<>(list);
                next.remove(check);
                return next.isEmpty() ? null : List.copyOf(next);
            });
        }
    }

    /**
     * Uses {@code next} to keep configurations: stops the streams it remembers as stopped, and saves the stops
     * made while no store was there.
     */
    void useStore(ConfigurationStore next) {
        synchronized (control) {
            store = next;
            Set<String> saved;
            try {
                saved = next.loadStopped();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot read which streams were stopped from "
                        + ConfigAdminStore.CORE_PID + "; none is stopped: " + e.getMessage(), e);
                saved = Set.of();
            }
            for (String name : saved) {
                stopLocked(name);
            }
            Set<String> all;
            synchronized (mounts) {
                all = new TreeSet<>(stoppedNames);
            }
            if (!saved.equals(all)) {
                saveStoppedLocked();
            }
        }
    }

    /** Uses {@code next} to describe the settings of source types ({@code null}: none). */
    void useSchemas(SettingsSchemas next) {
        schemas = next;
    }

    /** A {@link MediaSource} registered: mounts it, or lets it wait behind a better one of the same name. */
    @Reference(service = MediaSource.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, unbind = "unbindSource", updated = "updatedSource")
    void bindSource(MediaSource source, Map<String, Object> properties) {
        Candidate candidate = candidate(source, properties);
        if (candidate == null) {
            return;
        }
        MountedStream replaced = null;
        synchronized (mounts) {
            if (closed) {
                return;
            }
            List<Candidate> list = candidates.computeIfAbsent(candidate.name(), n -> new ArrayList<>());
            list.add(candidate);
            list.sort(BEST_FIRST);
            Candidate best = list.get(0);
            MountedStream current = table.get(candidate.name());
            if (list.size() > 1) {
                Candidate other = best == candidate ? list.get(1) : candidate;
                LOG.log(System.Logger.Level.WARNING, "Stream ''{0}'' has more than one source: {1} serves it, {2} "
                        + "waits until it leaves", candidate.name(), best.describe(), other.describe());
            }
            if (current == null || current.source != best.source()) {
                replaced = current;
                mountLocked(best);
            }
        }
        if (replaced != null) {
            replaced.retire(EndReason.SOURCE_GONE, "stream '" + candidate.name()
                    + "' is now served by another source of higher ranking");
        }
    }

    /**
     * A {@link MediaSource}'s properties changed: if its name or ranking changed, it is unmounted and mounted
     * again as if it had left and come back; other changes (e.g. its type label) do not disturb its viewers.
     */
    void updatedSource(MediaSource source, Map<String, Object> properties) {
        Candidate now = candidate(source, properties);
        synchronized (mounts) {
            Candidate before = find(source);
            if (before != null && now != null && before.name().equals(now.name()) && before.ranking() == now.ranking()
                    && before.onDemand() == now.onDemand()) {
                return;
            }
        }
        unbindSource(source, properties);
        bindSource(source, properties);
    }

    /** A {@link MediaSource} left: unmounts it and ends its playbacks; a waiting source takes over. */
    void unbindSource(MediaSource source, Map<String, Object> properties) {
        MountedStream gone = null;
        String name;
        synchronized (mounts) {
            // Found by identity, not by the properties handed in, which may differ from those it was bound with.
            Candidate leaving = find(source);
            if (leaving == null) {
                return;
            }
            name = leaving.name();
            List<Candidate> list = candidates.get(name);
            list.remove(leaving);
            if (list.isEmpty()) {
                candidates.remove(name);
            }
            MountedStream current = table.get(name);
            if (current != null && current.source == source) {
                gone = current;
                if (!list.isEmpty()) {
                    Candidate next = list.get(0);
                    LOG.log(System.Logger.Level.WARNING, "Stream ''{0}'': service {1} left; {2} takes over", name,
                            current.serviceId, next.describe());
                    mountLocked(next);
                } else {
                    NavigableMap<String, MountedStream> copy = new TreeMap<>(table);
                    copy.remove(name);
                    table = Collections.unmodifiableNavigableMap(copy);
                    LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' unmounted: its source left", name);
                }
            }
        }
        if (gone != null) {
            gone.retire(EndReason.SOURCE_GONE, "stream '" + name + "' is no longer available: its source was removed");
        }
    }

    // With mounts held.
    private Candidate find(MediaSource source) {
        for (List<Candidate> list : candidates.values()) {
            for (Candidate c : list) {
                if (c.source() == source) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * Ends every playback with {@link EndReason#STOPPED}, stops live feeds, and ends every thread this
     * component started (waiting up to 5 s for each group).
     */
    @Deactivate
    void deactivate() {
        if (tracker != null) {
            tracker.close();
        }
        Collection<MountedStream> all;
        synchronized (mounts) {
            if (closed) {
                return;
            }
            closed = true;
            mounts.notifyAll();
            all = table.values();
            table = Collections.emptyNavigableMap();
            candidates.clear();
        }
        for (MountedStream stream : all) {
            stream.retire(EndReason.STOPPED, "stream service stopped");
        }
        starter.shutdown();
        try {
            if (!starter.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)
                    || !starterThreads.join(STOP_WAIT_MILLIS)) {
                LOG.log(System.Logger.Level.WARNING, "A live source did not stop within {0} ms", STOP_WAIT_MILLIS);
                starter.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.close(STOP_WAIT_MILLIS);
        pacer.close();
    }

    @Override
    public List<StreamInfo> list() {
        List<StreamInfo> result = new ArrayList<>(table.size());
        for (MountedStream stream : table.values()) {
            result.add(stream.info());
        }
        return result;
    }

    @Override
    public Optional<StreamInfo> get(String name) {
        MountedStream stream = name == null ? null : table.get(stripSlash(name));
        return stream == null ? Optional.empty() : Optional.of(stream.info());
    }

    @Override
    public Playback open(String name, FrameSink sink) throws StreamException {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sink, "sink");
        String key = stripSlash(name);
        MountedStream stream = table.get(key);
        if (stream == null) {
            synchronized (mounts) {
                if (closed) {
                    throw new StreamException(StreamException.Kind.UNAVAILABLE,
                            "stream '" + key + "' cannot play: the stream service is stopped");
                }
            }
            throw new StreamException(StreamException.Kind.NOT_FOUND, "no stream named '" + key + "'");
        }
        return stream.open(sink);
    }

    @Override
    public List<SourceType> sourceTypes() {
        return sourceTypes.list();
    }

    @Override
    public StreamInfo create(String name, String type, Map<String, Object> settings) throws StreamException {
        String problem = StreamNames.problem(name);
        if (problem != null) {
            throw new StreamException(StreamException.Kind.INVALID, problem);
        }
        SourceTypeCatalog.Entry entry = sourceTypes.find(type).orElseThrow(() -> new StreamException(
                StreamException.Kind.NOT_FOUND, "unknown source type '" + type + "'; " + sourceTypes.names()));
        Map<String, Object> changes = withoutName(name, settings);
        synchronized (control) {
            ConfigurationStore configurations = requireStore("created");
            MountedStream mounted = table.get(name);
            if (mounted != null) {
                throw new StreamException(StreamException.Kind.CONFLICT, "a stream named '" + name
                        + "' exists already (type '" + mounted.type + "'); choose another name");
            }
            if (find(configurations, name).isPresent()) {
                throw new StreamException(StreamException.Kind.CONFLICT, "a stream named '" + name
                        + "' is configured already; choose another name");
            }
            Map<String, Object> properties = Settings.merge(type, schema(entry), Map.of(Settings.NAME, name),
                    changes);
            checkSettings(type, properties);
            try {
                configurations.create(entry.type().factoryPid(), name, properties);
            } catch (IOException e) {
                throw new StreamException(StreamException.Kind.UNAVAILABLE,
                        "stream '" + name + "' cannot be stored: " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' created (type {1})", name, type);
        }
        return awaitMount(name).orElseGet(() -> notMounted(name, type, StreamState.STARTING, ""));
    }

    @Override
    public StreamInfo update(String name, Map<String, Object> settings) throws StreamException {
        String key = key(name);
        Map<String, Object> changes = withoutName(key, settings);
        synchronized (control) {
            ConfigurationStore configurations = requireStore("changed");
            ConfigurationStore.Stored stored = find(configurations, key)
                    .orElseThrow(() -> notCreated(key, "changed"));
            SourceTypeCatalog.Entry entry = sourceTypes.findByFactoryPid(stored.factoryPid())
                    .orElseThrow(() -> notCreated(key, "changed"));
            String type = entry.type().type();
            Map<String, Object> properties = Settings.merge(type, schema(entry), stored.properties(), changes);
            checkSettings(type, properties);
            try {
                configurations.update(stored, properties);
            } catch (IOException e) {
                throw new StreamException(StreamException.Kind.UNAVAILABLE,
                        "stream '" + key + "' cannot be changed: " + e.getMessage(), e);
            }
            LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' changed: {1}", key, changes.keySet());
            return get(key).orElseGet(() -> notMounted(key, type, StreamState.STARTING, ""));
        }
    }

    @Override
    public void delete(String name) throws StreamException {
        String key = key(name);
        synchronized (control) {
            ConfigurationStore configurations = requireStore("deleted");
            ConfigurationStore.Stored stored = find(configurations, key)
                    .orElseThrow(() -> notCreated(key, "deleted"));
            try {
                configurations.delete(stored);
            } catch (IOException e) {
                throw new StreamException(StreamException.Kind.UNAVAILABLE,
                        "stream '" + key + "' cannot be deleted: " + e.getMessage(), e);
            }
            // The mounted stream stays stopped until its source unregisters it; a new stream of that name is not.
            boolean wasStopped;
            synchronized (mounts) {
                wasStopped = stoppedNames.remove(key);
            }
            if (wasStopped) {
                saveStoppedLocked();
            }
            LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' deleted", key);
        }
    }

    @Override
    public StreamInfo stop(String name) throws StreamException {
        String key = key(name);
        synchronized (control) {
            String type = table.containsKey(key) ? null : configuredType(key).orElseThrow(() -> notFound(key));
            if (stopLocked(key)) {
                saveStoppedLocked();
                LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' stopped by an operator", key);
            }
            return get(key).orElseGet(() -> notMounted(key, type, StreamState.STOPPED, MountedStream.STOPPED_REASON));
        }
    }

    @Override
    public StreamInfo start(String name) throws StreamException {
        String key = key(name);
        synchronized (control) {
            MountedStream stream;
            boolean wasStopped;
            synchronized (mounts) {
                stream = table.get(key);
                wasStopped = stoppedNames.remove(key);
            }
            String type = null;
            if (stream == null) {
                Optional<String> configured = configuredType(key);
                if (configured.isEmpty() && !wasStopped) {
                    throw notFound(key);
                }
                type = configured.orElse("unknown");
            } else {
                stream.startByOperator();
            }
            if (wasStopped) {
                saveStoppedLocked();
                LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' started by an operator", key);
            }
            String shown = type;
            return get(key).orElseGet(() -> notMounted(key, shown, StreamState.STARTING, ""));
        }
    }

    // With control held: remembers the name as stopped and stops its mounted stream, ending its viewers.
    private boolean stopLocked(String name) {
        MountedStream stream;
        List<AbstractPlayback> ending = List.of();
        boolean added;
        synchronized (mounts) {
            added = stoppedNames.add(name);
            stream = table.get(name);
            if (stream != null && !stream.isStoppedByOperator()) {
                ending = stream.markStopped();
            } else {
                stream = null;
            }
        }
        if (stream != null) {
            stream.endStopped(ending);
        }
        return added;
    }

    // With control held.
    private void saveStoppedLocked() {
        Set<String> names;
        synchronized (mounts) {
            names = new TreeSet<>(stoppedNames);
        }
        if (store == null) {
            LOG.log(System.Logger.Level.WARNING, "Config Admin is not running: the stopped streams {0} are not "
                    + "remembered across a restart until it runs", names);
            return;
        }
        try {
            store.saveStopped(names);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot save the stopped streams " + names + " in "
                    + ConfigAdminStore.CORE_PID + "; they are not remembered across a restart: " + e.getMessage(), e);
        }
    }

    // With control held.
    private ConfigurationStore requireStore(String verb) throws StreamException {
        synchronized (mounts) {
            if (closed) {
                throw new StreamException(StreamException.Kind.UNAVAILABLE,
                        "streams cannot be " + verb + " now: the stream service is stopped");
            }
        }
        if (store == null) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE,
                    "streams cannot be " + verb + " now: Config Admin, which keeps them, is not running");
        }
        return store;
    }

    // With control held: the stored configuration of a stream of an installed source type.
    private Optional<ConfigurationStore.Stored> find(ConfigurationStore configurations, String name)
            throws StreamException {
        List<String> factoryPids = sourceTypes.list().stream().map(SourceType::factoryPid).toList();
        try {
            return configurations.find(name, factoryPids);
        } catch (IOException e) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE,
                    "cannot read the configuration of stream '" + name + "': " + e.getMessage(), e);
        }
    }

    // With control held: the type of a stream that is configured (through create) but not mounted.
    private Optional<String> configuredType(String name) throws StreamException {
        if (store == null) {
            return Optional.empty();
        }
        return find(store, name).flatMap(s -> sourceTypes.findByFactoryPid(s.factoryPid()))
                .map(e -> e.type().type());
    }

    // The source type's own check, if its bundle registered one; a check that breaks does not block the change.
    private void checkSettings(String type, Map<String, Object> properties) throws StreamException {
        for (SettingsCheck check : checks.getOrDefault(type, List.of())) {
            try {
                check.check(Collections.unmodifiableMap(properties));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "The settings check of source type ''" + type + "'' failed; "
                        + "the settings are taken as they are", e);
            }
        }
    }

    @Override
    public Optional<Map<String, Object>> settings(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String key = key(name);
        ConfigurationStore.Stored stored;
        ObjectClassDefinition schema;
        synchronized (control) {
            if (store == null) {
                return Optional.empty();
            }
            try {
                stored = find(store, key).orElse(null);
            } catch (StreamException e) {
                return Optional.empty();
            }
            if (stored == null) {
                return Optional.empty();
            }
            schema = sourceTypes.findByFactoryPid(stored.factoryPid()).map(this::schema).orElse(null);
        }
        return Optional.of(Settings.shown(schema, stored.properties()));
    }

    private ObjectClassDefinition schema(SourceTypeCatalog.Entry entry) {
        SettingsSchemas current = schemas;
        return current == null ? null : current.find(entry);
    }

    // Waits (with no lock held but the table's, released while waiting) until the stream is mounted.
    private Optional<StreamInfo> awaitMount(String name) {
        long deadline = System.nanoTime() + mountWaitNanos;
        synchronized (mounts) {
            while (!table.containsKey(name) && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(mounts, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return get(name);
    }

    private StreamException notCreated(String name, String verb) {
        MountedStream mounted = table.get(name);
        if (mounted != null) {
            return new StreamException(StreamException.Kind.NOT_FOUND, "stream '" + name + "' cannot be " + verb
                    + ": it was not created as a stream but is provided by its source (type '" + mounted.type
                    + "') itself, like the demo clip or a file of a watched directory");
        }
        return new StreamException(StreamException.Kind.NOT_FOUND, "no created stream is named '" + name + "'");
    }

    private static StreamException notFound(String name) {
        return new StreamException(StreamException.Kind.NOT_FOUND, "no stream named '" + name + "'");
    }

    private static StreamInfo notMounted(String name, String type, StreamState state, String reason) {
        return new StreamInfo(name, type == null ? "unknown" : type, state, reason, NOT_MOUNTED, 0);
    }

    // The settings without 'name', which is the stream's name and may only repeat it.
    private static Map<String, Object> withoutName(String name, Map<String, Object> settings)
            throws StreamException {
        Map<String, Object> changes = new HashMap<>();
        if (settings != null) {
            settings.forEach((k, v) -> {
                if (k != null) {
                    changes.put(k, v);
                }
            });
        }
        Object given = changes.remove(Settings.NAME);
        if (given != null && !name.equals(given.toString())) {
            throw new StreamException(StreamException.Kind.INVALID, "setting '" + Settings.NAME + "' ('" + given
                    + "') differs from the stream's name '" + name + "'; a stream cannot be renamed: delete it and "
                    + "create it under the new name");
        }
        return changes;
    }

    private static String key(String name) {
        return stripSlash(Objects.requireNonNull(name, "name"));
    }

    /** The counters of a mounted stream, for metrics; empty if no stream has that name. */
    public Optional<StreamCounters> counters(String name) {
        MountedStream stream = table.get(stripSlash(name));
        return stream == null ? Optional.empty() : Optional.of(stream.counters);
    }

    @Override
    public Optional<StreamStatistics> statistics(String name) {
        return counters(name).map(c -> new StreamStatistics(c.framesDelivered(), c.lateFrames(), c.reanchors()));
    }

    /** The pacing clock, for diagnostics (its thread's CPU time). */
    Pacer pacer() {
        return pacer;
    }

    // With mounts held: puts the candidate's stream in the table in place of whatever had the name.
    private void mountLocked(Candidate c) {
        MountedStream stream;
        if (c.source() instanceof LiveSource live) {
            stream = new LiveStream(c.name(), c.type(), live, c.serviceId(), c.ranking(), starter, c.onDemand());
        } else {
            stream = new OnDemandStream(c.name(), c.type(), (OnDemandSource) c.source(), c.serviceId(), c.ranking(),
                    pacer, readers);
        }
        if (stoppedNames.contains(c.name())) {
            // Nobody can have opened it yet, so no sink runs under the lock.
            stream.stopByOperator();
        }
        NavigableMap<String, MountedStream> copy = new TreeMap<>(table);
        copy.put(c.name(), stream);
        table = Collections.unmodifiableNavigableMap(copy);
        mounts.notifyAll();
        LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' mounted from {1}{2}", c.name(), c.describe(),
                stream.isStoppedByOperator() ? ", stopped by an operator" : "");
        stream.mounted();
    }

    private static Candidate candidate(MediaSource source, Map<String, Object> properties) {
        String name = streamName(properties);
        if (name == null) {
            LOG.log(System.Logger.Level.WARNING, "A media source (service {0}) has no ''{1}'' property; not mounted",
                    properties.get(SERVICE_ID), MediaSource.STREAM_NAME);
            return null;
        }
        if (!(source instanceof LiveSource) && !(source instanceof OnDemandSource)) {
            LOG.log(System.Logger.Level.WARNING, "Stream ''{0}'': service {1} is neither a live nor an on-demand "
                    + "source; not mounted", name, properties.get(SERVICE_ID));
            return null;
        }
        Object type = properties.get(MediaSource.SOURCE_TYPE);
        Object ranking = properties.get(SERVICE_RANKING);
        Object id = properties.get(SERVICE_ID);
        Object onDemand = properties.get(LiveSource.ON_DEMAND);
        return new Candidate(source, name, type == null ? "unknown" : type.toString(),
                ranking instanceof Integer r ? r : 0, id instanceof Number n ? n.longValue() : Long.MAX_VALUE,
                onDemand == null || !"false".equalsIgnoreCase(onDemand.toString().trim()));
    }

    private static String streamName(Map<String, Object> properties) {
        Object value = properties.get(MediaSource.STREAM_NAME);
        if (value == null) {
            return null;
        }
        String name = stripSlash(value.toString().trim());
        return name.isEmpty() ? null : name;
    }

    private static String stripSlash(String name) {
        int i = 0;
        while (i < name.length() && name.charAt(i) == '/') {
            i++;
        }
        return name.substring(i);
    }
}
