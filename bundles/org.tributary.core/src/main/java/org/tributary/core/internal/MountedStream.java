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
 * no new one opens. Meanwhile an operator may {@linkplain #stopByOperator() stop} it: it stays in the table,
 * shows {@link StreamState#STOPPED}, and refuses viewers until {@linkplain #startByOperator() started}.
 * Thread-safe; the monitor of the stream guards only opening, stopping and retiring, never a frame.
 */
abstract class MountedStream {

    final String name;
    final String type;
    final MediaSource source;
    final long serviceId;
    final int ranking;
    final StreamCounters counters = new StreamCounters();

    /** The reason a stopped stream shows. */
    static final String STOPPED_REASON = "stopped by an operator";

    private final Set<AbstractPlayback> viewers = ConcurrentHashMap.newKeySet();
    private boolean retired;
    // Written under the monitor; read without it by info() and the live feed's decision.
    private volatile boolean stoppedByOperator;

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

    /** Called once when the stream has been put in the mount table, under the table's lock: it only hands work on. */
    void mounted() {
        // Nothing runs before a viewer by default.
    }

    /** Called once when the stream is retired, after its playbacks ended. */
    abstract void retired();

    /** Called after an operator stopped the stream and its playbacks ended. */
    abstract void afterOperatorStop();

    /** Called after an operator started the stream again. */
    abstract void afterOperatorStart();

    final StreamInfo info() {
        if (stoppedByOperator) {
            return new StreamInfo(name, type, StreamState.STOPPED, STOPPED_REASON, source.info(), viewers.size());
        }
        return new StreamInfo(name, type, state(), reason(), source.info(), viewers.size());
    }

    /** Whether an operator stopped the stream. */
    final boolean isStoppedByOperator() {
        return stoppedByOperator;
    }

    /**
     * Marks the stream stopped, so no playback opens, and returns the open playbacks; the caller ends them with
     * {@link #endStopped(List)} once it holds no lock of its own (their sinks run then).
     */
    final List<AbstractPlayback> markStopped() {
        synchronized (this) {
            stoppedByOperator = true;
            return new ArrayList<>(viewers);
        }
    }

    /** Ends the playbacks {@link #markStopped()} returned, then lets the stream release its source. */
    final void endStopped(List<AbstractPlayback> playbacks) {
        String detail = "stream '" + name + "' was stopped";
        for (AbstractPlayback playback : playbacks) {
            playback.end(EndReason.STOPPED, detail);
        }
        afterOperatorStop();
    }

    /** Lets viewers open the stream again. */
    final void startByOperator() {
        synchronized (this) {
            stoppedByOperator = false;
        }
        afterOperatorStart();
    }

    /** Stops the stream and ends its playbacks on the caller's thread (used when nobody can see it yet). */
    final void stopByOperator() {
        endStopped(markStopped());
    }

    /** The number of open playbacks (opened, not ended, not closed). */
    final int viewers() {
        return viewers.size();
    }

    /**
     * Adds a new playback to the viewers.
     *
     * @throws StreamException {@code NOT_FOUND} if the stream was retired meanwhile, {@code UNAVAILABLE} if an
     *         operator stopped it
     */
    final void register(AbstractPlayback playback) throws StreamException {
        synchronized (this) {
            if (retired) {
                throw new StreamException(StreamException.Kind.NOT_FOUND,
                        "stream '" + name + "' is no longer available: its source was removed");
            }
            checkNotStopped();
            viewers.add(playback);
        }
    }

    /** @throws StreamException {@code UNAVAILABLE} if an operator stopped the stream */
    final void checkNotStopped() throws StreamException {
        if (stoppedByOperator) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE, "stream '" + name + "' is stopped");
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
