package org.tributary.source.file.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Duration;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;

/**
 * One viewer's cursor over a {@link FileMedia}: frames read on demand by positional reads on the
 * reader's own channel, so only the current frame is in memory.
 *
 * <p>Frame i of the file is presented at i / frameRate. A looping reader continues after the last frame
 * with frame 0, its timestamps increased by the file's duration on every pass so they never go back;
 * {@link Frame#index()} stays the frame's position in the file. A seek starts the count of passes again.
 *
 * <p>Not thread-safe (one viewer, one thread), except that {@link #close()} may come from any thread.
 */
final class FileFrameReader implements FrameReader {

    private final FileMedia media;
    private final FrameIndex index;
    private final FileChannel channel;
    private final double frameRate;
    private final boolean loop;
    private final long durationNanos;
    private int next;
    private long pass;
    private boolean damageReported;

    FileFrameReader(FileMedia media, FrameIndex index, FileChannel channel, double frameRate, boolean loop) {
        this.media = media;
        this.index = index;
        this.channel = channel;
        this.frameRate = frameRate;
        this.loop = loop;
        this.durationNanos = FrameIndex.timestampNanos(index.count(), frameRate);
    }

    @Override
    public Frame next() throws IOException {
        if (next >= index.count()) {
            if (loop) {
                next = 0;
                pass++;
            } else {
                if (index.damage().isPresent() && !damageReported) {
                    damageReported = true;
                    throw new IOException(index.damage().get().message(index.file()));
                }
                return null;
            }
        }
        int i = next;
        ByteBuffer data = ByteBuffer.allocate(index.length(i));
        long offset = index.offset(i);
        while (data.hasRemaining()) {
            int n;
            try {
                n = channel.read(data, offset + data.position());
            } catch (IOException e) {
                throw new IOException(index.file() + ": frame " + i + " at byte " + offset + ": read failed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
            }
            if (n < 0) {
                throw new IOException(index.file() + ": frame " + i + " at byte " + offset
                        + ": the file ends early; it was shortened after it was indexed");
            }
        }
        next++;
        long timestamp = pass * durationNanos + FrameIndex.timestampNanos(i, frameRate);
        return new Frame(Codec.JPEG, i, timestamp, true, data.flip());
    }

    @Override
    public Duration seek(Duration position) throws IOException {
        long target = Math.max(0, saturatedNanos(position));
        int count = index.count();
        int i = (int) Math.min(count - 1, Math.floor(target / 1e9 * frameRate));
        // The floating-point estimate can be one frame off either way; settle on exact timestamps.
        while (i + 1 < count && FrameIndex.timestampNanos(i + 1, frameRate) <= target) {
            i++;
        }
        while (i > 0 && FrameIndex.timestampNanos(i, frameRate) > target) {
            i--;
        }
        next = i;
        pass = 0;
        damageReported = false;
        return Duration.ofNanos(FrameIndex.timestampNanos(i, frameRate));
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? 0 : Long.MAX_VALUE;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing was written; a failed close of a read-only handle leaves nothing to recover.
        }
        media.closed(this);
    }
}
