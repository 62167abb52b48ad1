package org.tributary.core.internal;

import java.io.IOException;

import org.tributary.api.FrameReader;
import org.tributary.api.FrameSink;
import org.tributary.api.OnDemandSource;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamState;

/**
 * A mounted {@link OnDemandSource}: every playback reads it through a reader of its own. Listed {@code FAILED} while
 * the source knows it cannot be opened; opening is still tried, so it plays again as soon as the media can be read.
 */
final class OnDemandStream extends MountedStream {

    private final OnDemandSource onDemand;
    private final Pacer pacer;
    private final ReaderPool readers;

    OnDemandStream(String name, String type, OnDemandSource source, long serviceId, int ranking, Pacer pacer,
            ReaderPool readers) {
        super(name, type, source, serviceId, ranking);
        this.onDemand = source;
        this.pacer = pacer;
        this.readers = readers;
    }

    /** Opens a reader on the caller's thread (it may block on the disk) and wraps it. */
    @Override
    Playback open(FrameSink sink) throws StreamException {
        // Checked before the reader too, so a stopped stream refuses without touching the disk.
        checkNotStopped();
        FrameReader reader;
        try {
            reader = onDemand.open();
        } catch (IOException e) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE,
                    "stream '" + name + "' cannot be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE,
                    "stream '" + name + "' cannot be opened: " + e, e);
        }
        if (reader == null) {
            throw new StreamException(StreamException.Kind.UNAVAILABLE,
                    "stream '" + name + "' cannot be opened: its source gave no reader");
        }
        OnDemandPlayback playback = new OnDemandPlayback(this, sink, reader, pacer, readers);
        try {
            register(playback);
        } catch (StreamException e) {
            reader.close();
            throw e;
        }
        playback.prefetch();
        return playback;
    }

    /** {@code FAILED} while the source knows it cannot be opened (see {@link OnDemandSource#problem()}). */
    @Override
    StreamState state() {
        return problem().isEmpty() ? StreamState.RUNNING : StreamState.FAILED;
    }

    @Override
    String reason() {
        return problem();
    }

    private String problem() {
        try {
            String problem = onDemand.problem();
            return problem == null ? "" : problem;
        } catch (RuntimeException e) {
            return "its source failed to say whether it can play: " + e;
        }
    }

    @Override
    void retired() {
        // Each playback released its reader when it ended.
    }

    @Override
    void afterOperatorStop() {
        // As for retired(): the ended playbacks released their readers.
    }

    @Override
    void afterOperatorStart() {
        // Nothing runs between viewers, so nothing restarts.
    }
}
