package org.tributary.core.internal;

import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.MediaInfo;
import org.tributary.api.Playback;

/**
 * What every playback shares: its stream, its viewer's sink, and calling that sink so that a faulty sink
 * ends only its own playback.
 *
 * <p>On callbacks racing with {@link #pause()} and {@link #close()}: the decision to hand over a frame (or
 * to end) is taken under the playback's own lock, and the sink is called after that lock is released, so
 * that a sink may call back into its playback (or take its own locks) without deadlock. Hence one callback
 * whose decision came before {@code pause()} or {@code close()} took its lock (at most one frame, or the
 * {@code onEnd} of a playback that ended at that same moment) may still run on the pacer, reader or source
 * thread while or just after the method returns. No other callback follows.
 */
abstract class AbstractPlayback implements Playback {

    private static final System.Logger LOG = System.getLogger(AbstractPlayback.class.getName());

    final MountedStream stream;
    final FrameSink sink;

    AbstractPlayback(MountedStream stream, FrameSink sink) {
        this.stream = stream;
        this.sink = sink;
    }

    @Override
    public final MediaInfo info() {
        return stream.source.info();
    }

    @Override
    public final String streamName() {
        return stream.name;
    }

    /**
     * Ends the playback and tells the sink, unless it already ended or was closed. Never blocks; callable
     * from any thread.
     */
    abstract void end(EndReason reason, String detail);

    /**
     * Hands a frame to the sink; a sink that throws ends its playback with {@link EndReason#FAILED}.
     *
     * @return whether the sink took the frame
     */
    final boolean deliver(Frame frame) {
        try {
            sink.onFrame(frame);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A viewer of stream '" + stream.name
                    + "' failed on a frame; its playback ends", e);
            end(EndReason.FAILED, "stream '" + stream.name + "': the viewer failed on a frame: " + e);
            return false;
        }
    }

    /** Calls the sink's {@code onEnd}; the caller made sure it happens once. */
    final void notifyEnd(EndReason reason, String detail) {
        try {
            sink.onEnd(reason, detail);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A viewer of stream '" + stream.name + "' failed in onEnd", e);
        }
    }
}
