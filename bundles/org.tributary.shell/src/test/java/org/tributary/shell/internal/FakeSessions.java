package org.tributary.shell.internal;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.tributary.api.DeliveryStats;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.Sessions;
import org.tributary.api.StreamException;

/** Sessions in a list; kick removes one; a push of a stream named in {@link #pushable} adds one with an SDP. */
final class FakeSessions implements Sessions {

    final List<SessionInfo> sessions = new ArrayList<>();
    final Map<String, String> descriptions = new HashMap<>();
    final List<String> pushable = new ArrayList<>();

    FakeSessions with(SessionInfo session) {
        sessions.add(session);
        return this;
    }

    @Override
    public List<SessionInfo> list() {
        return List.copyOf(sessions);
    }

    @Override
    public boolean kick(String id) {
        descriptions.remove(id);
        return sessions.removeIf(s -> s.id().equals(id));
    }

    @Override
    public SessionInfo push(String stream, InetSocketAddress destination) throws StreamException {
        if (!pushable.contains(stream)) {
            throw new StreamException(StreamException.Kind.NOT_FOUND, "no stream named '" + stream + "'");
        }
        String id = String.format("%016X", 0xC0FFEE00L + sessions.size());
        SessionInfo push = new SessionInfo(id, destination, stream, "RTP/AVP", SessionState.PLAYING, Instant.now(),
                DeliveryStats.NONE);
        sessions.add(push);
        descriptions.put(id, "v=0\r\nc=IN IP4 " + destination.getAddress().getHostAddress() + "\r\nm=video "
                + destination.getPort() + " RTP/AVP 96\r\n");
        return push;
    }

    @Override
    public Optional<String> pushDescription(String id) {
        return Optional.ofNullable(descriptions.get(id));
    }
}
