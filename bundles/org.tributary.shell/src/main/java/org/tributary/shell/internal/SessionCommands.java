package org.tributary.shell.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tributary.api.DeliveryStats;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.api.Transport;

/**
 * Gogo commands for sessions and transports: {@code sessions} lists the sessions, {@code kick ID} ends one,
 * {@code transports} lists the installed transports and how many sessions use each.
 */
@Component(service = SessionCommands.class, property = {
        "osgi.command.scope=tributary",
        "osgi.command.function=sessions",
        "osgi.command.function=kick",
        "osgi.command.function=transports" })
public final class SessionCommands {

    static final int SHORT_ID = 8;

    // Optional and dynamic: the shell stays usable while the RTSP server, which provides Sessions, is gone.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Sessions sessions;

    // References, not services: listing a transport must not get (and so hold) its service object.
    @Reference(service = Transport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile List<ServiceReference<Transport>> transports = List.of();

    private final Clock clock;

    public SessionCommands() {
        this(Clock.systemUTC());
    }

    SessionCommands(Clock clock) {
        this.clock = clock;
    }

    @Descriptor("list the sessions: id (its first characters, enough to tell it from the others), client "
            + "address, stream, transport, state, RTP packets sent, frames dropped because the client could not keep "
            + "up, and bitrate in kbit/s averaged since the session started")
    public String sessions() {
        Sessions s = sessions;
        if (s == null) {
            return Answers.SESSIONS_ABSENT;
        }
        try {
            List<SessionInfo> all = s.list();
            if (all.isEmpty()) {
                return "no sessions";
            }
            Map<String, String> shortIds = shortIds(all.stream().map(SessionInfo::id).toList());
            Instant now = clock.instant();
            Table table = new Table().left("ID").left("CLIENT").left("STREAM").left("TRANSPORT").left("STATE")
                    .right("PACKETS").right("DROPPED").right("KBIT/S");
            for (SessionInfo session : all) {
                DeliveryStats stats = session.stats() == null ? DeliveryStats.NONE : session.stats();
                table.row(shortIds.get(session.id()), address(session.client()), session.stream(),
                        session.transport(), session.state(), stats.packets(), stats.droppedFrames(),
                        kbitPerSecond(stats.bytes(), session.started(), now));
            }
            return table.toString();
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    @Descriptor("end a session as if it timed out (its client gets RTCP BYE): kick ID, with ID as sessions lists "
            + "it, or any longer start of the session id")
    public String kick(@Descriptor("the session's id, or its start as sessions lists it") String... ids) {
        if (ids == null || ids.length != 1 || ids[0].isEmpty()) {
            return "usage: kick ID, ID as sessions lists it";
        }
        Sessions s = sessions;
        if (s == null) {
            return Answers.SESSIONS_ABSENT;
        }
        String given = ids[0];
        try {
            List<String> matching = s.list().stream().map(SessionInfo::id).filter(id -> id.startsWith(given)).toList();
            String id = matching.contains(given) ? given : matching.size() == 1 ? matching.get(0) : null;
            if (id == null && matching.size() > 1) {
                return "'" + given + "' starts " + matching.size() + " session ids; give more of it (see sessions)";
            }
            // A session that ended since the listing is as gone as one that never was.
            return id != null && s.kick(id) ? "kicked session " + id : "no session with id '" + given + "' (see sessions)";
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    @Descriptor("list the installed transports: RTSP transport profile, the bundle that provides it, and how "
            + "many sessions use it")
    public String transports() {
        try {
            List<ServiceReference<Transport>> refs = transports;
            List<String[]> rows = new ArrayList<>();
            for (ServiceReference<Transport> ref : refs) {
                Bundle bundle = ref.getBundle();
                // A reference whose service went away between the listing and now has no bundle: skip it.
                if (bundle != null) {
                    rows.add(new String[] { profile(ref.getProperty(Transport.PROFILE)), bundle.getSymbolicName() });
                }
            }
            return transportTable(rows, sessions);
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    /** The table of transports given as {profile, bundle} pairs, counting sessions when the RTSP server is up. */
    static String transportTable(List<String[]> transports, Sessions sessions) {
        if (transports.isEmpty()) {
            return "no transports installed";
        }
        Map<String, Integer> inUse = new TreeMap<>();
        if (sessions != null) {
            for (SessionInfo session : sessions.list()) {
                inUse.merge(String.valueOf(session.transport()), 1, Integer::sum);
            }
        }
        List<String[]> sorted = new ArrayList<>(transports);
        sorted.sort(Comparator.comparing((String[] t) -> t[0]).thenComparing(t -> t[1]));
        Table table = new Table().left("PROFILE").left("BUNDLE").right("SESSIONS");
        for (String[] t : sorted) {
            table.row(t[0], t[1], sessions == null ? null : inUse.getOrDefault(t[0], 0));
        }
        String out = table.toString();
        return sessions == null ? out + "\n(sessions not counted: " + Answers.SESSIONS_ABSENT + ")" : out;
    }

    private static String profile(Object property) {
        if (property instanceof String[] several) {
            return String.join(",", several);
        }
        return property == null ? "?" : property.toString();
    }

    /**
     * Each id cut to its first {@value #SHORT_ID} characters, or more where two ids start alike, so the table
     * fits 80 columns (RTSP ids are 16 hex digits) and every shown id still names one session for kick.
     */
    static Map<String, String> shortIds(List<String> ids) {
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        Map<String, String> shown = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            String id = sorted.get(i);
            // In sorted order the id sharing the longest start with this one is a neighbour.
            int shared = Math.max(i > 0 ? commonStart(id, sorted.get(i - 1)) : 0,
                    i + 1 < sorted.size() ? commonStart(id, sorted.get(i + 1)) : 0);
            shown.put(id, id.substring(0, Math.min(id.length(), Math.max(SHORT_ID, shared + 1))));
        }
        return shown;
    }

    private static int commonStart(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        return i;
    }

    /** {@code host:port}, by address so no name lookup ever runs; IPv6 in brackets. */
    static String address(InetSocketAddress client) {
        if (client == null) {
            return null;
        }
        if (client.isUnresolved() || client.getAddress() == null) {
            return client.getHostString() + ":" + client.getPort();
        }
        String host = client.getAddress().getHostAddress();
        return (client.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + client.getPort();
    }

    /** The average since {@code started}: what a person can check against the bytes sent. */
    static String kbitPerSecond(long bytes, Instant started, Instant now) {
        if (started == null) {
            return null;
        }
        long millis = Duration.between(started, now).toMillis();
        if (millis <= 0) {
            return null;
        }
        // bytes * 8 / ms is bits per millisecond, which is kbit/s.
        return Long.toString(bytes * 8 / millis);
    }
}
