package org.tributary.rtsp.server.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tributary.api.Transport;

/**
 * The {@link Transport} services present now, by profile. Thread-safe; lookups never block.
 */
final class TransportRegistry {

    private record Entry(Transport transport, String profile, int ranking, long serviceId) {
    }

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();

    void add(Transport transport, Map<String, ?> properties) {
        Object profile = properties.get(Transport.PROFILE);
        if (profile == null) {
            return;
        }
        entries.add(new Entry(transport, TransportSpec.normalize(profile.toString().trim()),
                properties.get("service.ranking") instanceof Integer r ? r : 0,
                properties.get("service.id") instanceof Long id ? id : Long.MAX_VALUE));
    }

    void remove(Transport transport) {
        entries.removeIf(e -> e.transport == transport);
    }

    /** The transport for a normalized profile (highest ranking, then oldest), or {@code null}. */
    Transport find(String profile) {
        Entry best = null;
        for (Entry e : entries) {
            if (e.profile.equals(profile) && (best == null || e.ranking > best.ranking
                    || e.ranking == best.ranking && e.serviceId < best.serviceId)) {
                best = e;
            }
        }
        return best == null ? null : best.transport;
    }

    /** A transport specification of the client's list and the installed transport that serves it. */
    record Choice(TransportSpec spec, Transport transport) {
    }

    /**
     * The first of the client's specifications, in its order, that an installed transport serves
     * (RFC 2326 §12.39), or {@code null} when none is: the caller answers 461.
     */
    Choice choose(List<TransportSpec> specs) {
        for (TransportSpec candidate : specs) {
            Transport transport = find(candidate.profile());
            if (transport != null) {
                return new Choice(candidate, transport);
            }
        }
        return null;
    }
}
