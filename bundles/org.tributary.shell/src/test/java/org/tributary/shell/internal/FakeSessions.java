package org.tributary.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;

/** Sessions in a list; kick removes one. */
final class FakeSessions implements Sessions {

    final List<SessionInfo> sessions = new ArrayList<>();

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
        return sessions.removeIf(s -> s.id().equals(id));
    }
}
