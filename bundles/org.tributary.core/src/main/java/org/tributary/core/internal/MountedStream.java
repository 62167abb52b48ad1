package org.tributary.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.tributary.api.EndReason;
import org.tributary.api.FrameSink;
import org.tributary.api.MediaSource;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;

/**
 * A source in the mount table: the stream as the server publishes it, with its open playbacks.
 *
 * <p>A mounted stream lives from the moment its source wins the name until the source leaves, loses the
 * name, or the stream service stops; then it is {@linkplain #retire retired}: every open playback ends and
 * no new one opens. Thread-safe; the monitor of the stream guards only opening and retiring, never a frame.
 */
abstract class MountedStream {

    final String name;
    final String type;
    final MediaSource source;
    final long serviceId;
    final int ranking;
    final StreamCounters counters = new StreamCounters();

    private final Set<AbstractPlayback> viewers = ConcurrentHashMap.newKeySet();
    private boolean retired;

    MountedStream(String name, String type, MediaSource source, long serviceId, int ranking) {
        this.name = name;
        this.type = type;
        this.source = source;
        this.serviceId = serviceId;
        this.ranking = ranking;
    }

    /** Opens a playback for {@link org.tributary.api.Streams#open}. */
    abstract Playback open(FrameSink sink) throws StreamException;

    abstract StreamState state();

    abstract String reason();

    /** Called once when the stream is retired, after its playbacks ended. */
    abstract void retired();

    final StreamInfo info() {
        return new StreamInfo(name, type, state(), reason(), source.info(), viewers.size());
    }

    /** The number of open playbacks (opened, not ended, not closed). */
    final int viewers() {
        return viewers.size();
    }

    /**
     * Adds a new playback to the viewers.
     *
     * @throws StreamException {@code NOT_FOUND} if the stream was retired meanwhile
     */
    final void register(AbstractPlayback playback) throws StreamException {
        synchronized (this) {
            if (retired) {
                throw new StreamException(StreamException.Kind.NOT_FOUND,
                        "stream '" + name + "' is no longer available: its source was removed");
            }
            viewers.add(playback);
        }
    }

    /** A snapshot of the open playbacks. */
    final List<AbstractPlayback> viewerList() {
        return new ArrayList<>(viewers);
    }

    /** A playback ended or closed. */
    void removed(AbstractPlayback playback) {
        viewers.remove(playback);
    }

    final boolean isRetired() {
        synchronized (this) {
            return retired;
        }
    }

    /** Ends every open playback with {@code reason} and refuses new ones. Idempotent. */
    final void retire(EndReason reason, String detail) {
        List<AbstractPlayback> ending;
        synchronized (this) {
            if (retired) {
                return;
            }
            retired = true;
            ending = new ArrayList<>(viewers);
        }
        for (AbstractPlayback playback : ending) {
            playback.end(reason, detail);
        }
        retired();
    }
}
