package org.tributary.core.internal;

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
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.tributary.api.EndReason;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaSource;
import org.tributary.api.OnDemandSource;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
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
 * <p>Threads, all daemons, all ended by {@link #deactivate()}: {@code tributary-pacer} (the one pacing clock
 * of every on-demand playback), {@code tributary-reader-1..2} (reading ahead, closing readers), and up to
 * four {@code tributary-starter-N} (starting and stopping live feeds; they exit after 10 s idle).
 *
 * <p>Thread-safe. {@link #list()} and {@link #get(String)} read an immutable snapshot of the table and never
 * block; bind, unbind and deactivation replace it under one lock.
 */
@Component(service = Streams.class)
public final class StreamCore implements Streams {

    private static final System.Logger LOG = System.getLogger(StreamCore.class.getName());
    private static final String SERVICE_ID = "service.id";
    private static final String SERVICE_RANKING = "service.ranking";
    private static final long STOP_WAIT_MILLIS = 5_000;

    /** A source registered under a name, mounted or waiting. */
    private record Candidate(MediaSource source, String name, String type, int ranking, long serviceId) {
        String describe() {
            return "service " + serviceId + " (type " + type + ", ranking " + ranking + ")";
        }
    }

    private static final Comparator<Candidate> BEST_FIRST = Comparator.comparingInt(Candidate::ranking).reversed()
            .thenComparingLong(Candidate::serviceId);

    private final Pacer pacer;
    private final ReaderPool readers;
    private final ThreadPoolExecutor starter;

    private final Object mounts = new Object();
    // Guarded by mounts.
    private final Map<String, List<Candidate>> candidates = new HashMap<>();
    // Guarded by mounts.
    private boolean stopped;
    private volatile NavigableMap<String, MountedStream> table = Collections.emptyNavigableMap();

    /** Starts the pacer, the reader pool and the (idle) starter executor. */
    @Activate
    public StreamCore() {
        pacer = new Pacer("tributary-pacer");
        readers = new ReaderPool("tributary-reader", 2);
        starter = new ThreadPoolExecutor(4, 4, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                named("tributary-starter"));
        starter.allowCoreThreadTimeOut(true);
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
            if (stopped) {
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
            if (before != null && now != null && before.name().equals(now.name()) && before.ranking() == now.ranking()) {
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
        Collection<MountedStream> all;
        synchronized (mounts) {
            if (stopped) {
                return;
            }
            stopped = true;
            all = table.values();
            table = Collections.emptyNavigableMap();
            candidates.clear();
        }
        for (MountedStream stream : all) {
            stream.retire(EndReason.STOPPED, "stream service stopped");
        }
        starter.shutdown();
        try {
            if (!starter.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
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
                if (stopped) {
                    throw new StreamException(StreamException.Kind.UNAVAILABLE,
                            "stream '" + key + "' cannot play: the stream service is stopped");
                }
            }
            throw new StreamException(StreamException.Kind.NOT_FOUND, "no stream named '" + key + "'");
        }
        return stream.open(sink);
    }

    /** The counters of a mounted stream, for metrics; empty if no stream has that name. */
    public Optional<StreamCounters> counters(String name) {
        MountedStream stream = table.get(stripSlash(name));
        return stream == null ? Optional.empty() : Optional.of(stream.counters);
    }

    /** The pacing clock, for diagnostics (its thread's CPU time). */
    Pacer pacer() {
        return pacer;
    }

    // With mounts held: puts the candidate's stream in the table in place of whatever had the name.
    private void mountLocked(Candidate c) {
        MountedStream stream;
        if (c.source() instanceof LiveSource live) {
            stream = new LiveStream(c.name(), c.type(), live, c.serviceId(), c.ranking(), starter);
        } else {
            stream = new OnDemandStream(c.name(), c.type(), (OnDemandSource) c.source(), c.serviceId(), c.ranking(),
                    pacer, readers);
        }
        NavigableMap<String, MountedStream> copy = new TreeMap<>(table);
        copy.put(c.name(), stream);
        table = Collections.unmodifiableNavigableMap(copy);
        LOG.log(System.Logger.Level.INFO, "Stream ''{0}'' mounted from {1}", c.name(), c.describe());
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
        return new Candidate(source, name, type == null ? "unknown" : type.toString(),
                ranking instanceof Integer r ? r : 0, id instanceof Number n ? n.longValue() : Long.MAX_VALUE);
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

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
