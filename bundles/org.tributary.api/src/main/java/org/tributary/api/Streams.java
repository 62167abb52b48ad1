package org.tributary.api;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The control service of streams, provided by the stream core: the mount table of every
 * {@link MediaSource} registered, their state, and playback.
 *
 * <p>Thread-safe. {@link #list()} and {@link #get(String)} never block; {@link #open(String, FrameSink)}
 * may block briefly on I/O (opening a file) and is called from a thread that may wait.
 */
@ProviderType
public interface Streams {

    /** Every stream, sorted by name. */
    List<StreamInfo> list();

    /** The stream of that name, if any. */
    Optional<StreamInfo> get(String name);

    /**
     * Opens a playback of the named stream delivering to {@code sink}; nothing is delivered before
     * {@link Playback#play}. The caller closes the playback. When the stream ends (end of media, source
     * gone, stopped) the sink's {@link FrameSink#onEnd} is called once.
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} for an unknown name,
     *         {@link StreamException.Kind#UNAVAILABLE} for a stream that cannot play now
     */
    Playback open(String name, FrameSink sink) throws StreamException;
}
