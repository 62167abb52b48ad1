package org.tributary.core.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.api.FrameReader;
import org.tributary.api.MediaInfo;
import org.tributary.api.OnDemandSource;

/** An on-demand source of generated JPEG-coded frames held in memory, with knobs for slow and bad reads. */
final class MemorySource implements OnDemandSource {

    final int frames;
    final double fps;
    final int keyEvery;
    final long periodNanos;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    volatile long readDelayMillis;
    volatile int failAt = -1;
    volatile int stallAt = -1;
    volatile long stallMillis;
    volatile IOException openFailure;
    volatile String problem = "";
    private final ByteBuffer payload = ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF,
            (byte) 0xD9});

    MemorySource(int frames, double fps, int keyEvery) {
        this.frames = frames;
        this.fps = fps;
        this.keyEvery = keyEvery;
        this.periodNanos = Math.round(1e9 / fps);
    }

    @Override
    public MediaInfo info() {
        return MediaInfo.jpeg(320, 240, fps, Duration.ofNanos(frames * periodNanos));
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public FrameReader open() throws IOException {
        if (openFailure != null) {
            throw openFailure;
        }
        opened.incrementAndGet();
        return new Reader();
    }

    private final class Reader implements FrameReader {
        private int index;
        private boolean isClosed;

        @Override
        public Frame next() throws IOException {
            if (isClosed) {
                throw new IOException("memory: reader closed");
            }
            sleep(index == stallAt ? stallMillis : readDelayMillis);
            if (index == failAt) {
                throw new IOException("memory: frame " + index + " is damaged");
            }
            if (index >= frames) {
                return null;
            }
            Frame frame = new Frame(Codec.JPEG, index, index * periodNanos, index % keyEvery == 0, payload);
            index++;
            return frame;
        }

        @Override
        public Duration seek(Duration position) {
            int target = (int) Math.min(frames - 1, position.toNanos() / periodNanos);
            index = target - target % keyEvery;
            return Duration.ofNanos(index * periodNanos);
        }

        @Override
        public void close() {
            if (!isClosed) {
                isClosed = true;
                closed.incrementAndGet();
            }
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
