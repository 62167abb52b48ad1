package org.tributary.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The control service of streams, provided by the stream core: the mount table of every
 * {@link MediaSource} registered, their state, and playback.
 *
 * <p>Streams are created, changed and deleted as Config Admin factory configurations of their source type
 * (so they persist across restarts); the source bundle then registers the {@link MediaSource}. A stream that is
 * {@linkplain #stop(String) stopped} stays mounted, refuses viewers with a reason, and stays stopped across
 * restarts until started again.
 *
 * <p>Thread-safe. {@link #list()}, {@link #get(String)} and {@link #sourceTypes()} never block;
 * {@link #open(String, FrameSink)} may block briefly on I/O (opening a file), and the methods that change
 * configuration may block on Config Admin: call them from a thread that may wait.
 */
@ProviderType
public interface Streams {

    /** Every stream, sorted by name. */
    List<StreamInfo> list();

    /** The stream of that name, if any. */
    Optional<StreamInfo> get(String name);

    /**
     * The counters of the stream of that name, if any. Never blocks.
     *
     * @since 1.3
     */
    Optional<StreamStatistics> statistics(String name);

    /**
     * Opens a playback of the named stream delivering to {@code sink}; nothing is delivered before
     * {@link Playback#play}. The caller closes the playback. When the stream ends (end of media, source
     * gone, stopped) the sink's {@link FrameSink#onEnd} is called once.
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} for an unknown name,
     *         {@link StreamException.Kind#UNAVAILABLE} for a stream that cannot play now
     */
    Playback open(String name, FrameSink sink) throws StreamException;

    /**
     * The settings of a stream created through {@link #create} (or a configuration file of its source type), as
     * stored, sorted by name, without the stream's name and the bookkeeping of Config Admin; secrets (password
     * settings, the password of a URL) are masked as {@code ***}. Empty if no such stream is configured. May block
     * on Config Admin.
     *
     * @since 1.4
     */
    default Optional<Map<String, Object>> settings(String name) {
        return Optional.empty();
    }

    /** The kinds of source installed now, sorted by type. */
    List<SourceType> sourceTypes();

    /**
     * Creates a stream of a source type with its settings (the source type's configuration properties, e.g.
     * {@code path}, {@code frameRate}). Returns when the configuration is stored; the stream is mounted as
     * soon as its source bundle has registered it.
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} for an unknown type,
     *         {@link StreamException.Kind#CONFLICT} when a stream of that name exists,
     *         {@link StreamException.Kind#INVALID} for a bad name or setting (the message names it)
     */
    StreamInfo create(String name, String type, Map<String, Object> settings) throws StreamException;

    /**
     * Changes settings of a stream created through {@link #create}; settings not named keep their values.
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} if no created stream has that name,
     *         {@link StreamException.Kind#INVALID} for a bad setting
     */
    StreamInfo update(String name, Map<String, Object> settings) throws StreamException;

    /**
     * Deletes a stream created through {@link #create}: its configuration is removed, its viewers end.
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} if no created stream has that name
     */
    void delete(String name) throws StreamException;

    /**
     * Stops a stream: its viewers' sessions end (RTCP BYE), a live source stops capturing, new viewers are
     * refused with {@link StreamException.Kind#UNAVAILABLE} and the reason "stopped". Remembered across restarts.
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} for an unknown name
     */
    StreamInfo stop(String name) throws StreamException;

    /**
     * Starts a stopped stream again (a live stream also restarts after {@link StreamState#FAILED}).
     *
     * @throws StreamException {@link StreamException.Kind#NOT_FOUND} for an unknown name
     */
    StreamInfo start(String name) throws StreamException;
}
