package org.tributary.shell.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.tributary.api.FrameSink;
import org.tributary.api.MediaInfo;
import org.tributary.api.Playback;
import org.tributary.api.SourceType;
import org.tributary.api.StreamException;
import org.tributary.api.StreamException.Kind;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamStatistics;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;

/** Streams in a map, with the core's answers for unknown names and types; remembers the last settings. */
class FakeStreams implements Streams {

    final Map<String, StreamInfo> streams = new TreeMap<>();
    final List<SourceType> types = new ArrayList<>();
    Map<String, Object> lastSettings;
    final Map<String, Map<String, Object>> stored = new TreeMap<>();

    @Override
    public Optional<Map<String, Object>> settings(String name) {
        return Optional.ofNullable(stored.get(name));
    }

    FakeStreams with(StreamInfo stream) {
        streams.put(stream.name(), stream);
        return this;
    }

    static StreamInfo jpeg(String name, StreamState state, String reason, int viewers) {
        return new StreamInfo(name, "file", state, reason, MediaInfo.jpeg(320, 240, 25, null), viewers);
    }

    @Override
    public List<StreamInfo> list() {
        return List.copyOf(streams.values());
    }

    @Override
    public Optional<StreamInfo> get(String name) {
        return Optional.ofNullable(streams.get(name));
    }

    @Override
    public Optional<StreamStatistics> statistics(String name) {
        return streams.containsKey(name) ? Optional.of(new StreamStatistics(0, 0, 0)) : Optional.empty();
    }

    @Override
    public Playback open(String name, FrameSink sink) throws StreamException {
        throw new UnsupportedOperationException("the shell never plays");
    }

    @Override
    public List<SourceType> sourceTypes() {
        return List.copyOf(types);
    }

    @Override
    public StreamInfo create(String name, String type, Map<String, Object> settings) throws StreamException {
        if (types.stream().noneMatch(t -> t.type().equals(type))) {
            throw new StreamException(Kind.NOT_FOUND, "no source type '" + type + "'");
        }
        if (streams.containsKey(name)) {
            throw new StreamException(Kind.CONFLICT, "a stream named '" + name + "' exists");
        }
        lastSettings = settings;
        StreamInfo created = new StreamInfo(name, type, StreamState.STARTING, "", MediaInfo.jpeg(0, 0, 25, null), 0);
        streams.put(name, created);
        return created;
    }

    @Override
    public StreamInfo update(String name, Map<String, Object> settings) throws StreamException {
        StreamInfo s = existing(name);
        lastSettings = settings;
        return s;
    }

    @Override
    public void delete(String name) throws StreamException {
        existing(name);
        streams.remove(name);
    }

    @Override
    public StreamInfo stop(String name) throws StreamException {
        StreamInfo s = existing(name);
        StreamInfo stopped = new StreamInfo(name, s.type(), StreamState.STOPPED, "stopped", s.info(), 0);
        streams.put(name, stopped);
        return stopped;
    }

    @Override
    public StreamInfo start(String name) throws StreamException {
        StreamInfo s = existing(name);
        StreamInfo running = new StreamInfo(name, s.type(), StreamState.RUNNING, "", s.info(), s.viewers());
        streams.put(name, running);
        return running;
    }

    private StreamInfo existing(String name) throws StreamException {
        StreamInfo s = streams.get(name);
        if (s == null) {
            throw new StreamException(Kind.NOT_FOUND, "no stream named '" + name + "'");
        }
        return s;
    }
}
