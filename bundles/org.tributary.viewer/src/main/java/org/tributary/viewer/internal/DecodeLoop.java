package org.tributary.viewer.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

import org.tributary.api.Codec;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.RtspClientListener;

/**
 * Decodes a client's frames on a thread of its own, so the client's receive thread only queues them.
 *
 * <p>The queue holds {@code capacity} frames. When decoding falls behind and it is full, JPEG drops the oldest
 * frame (the newest picture is the one worth showing); H.264 drops what is queued and everything up to the next
 * IDR, because a picture decoded without its references is garbage. Every dropped frame is counted.
 *
 * <p>Decoders are made on the decode thread when the first frame of their codec arrives, and closed there when
 * the loop ends; a decoder that failed for good is replaced by a new one.
 */
public final class DecodeLoop implements RtspClientListener, AutoCloseable {

    /** What the loop hands on; called on the decode thread, except {@link #ended} (a client receive thread). */
    public interface Sink {
        void picture(BufferedImage picture, ReceivedFrame frame);

        void ended(String reason);

        void error(Exception error);
    }

    private static final int TIMES = 64;

    private final int capacity;
    private final Function<Codec, FrameDecoder> factory;
    private final Sink sink;
    private final Thread thread;
    private final ArrayDeque<ReceivedFrame> queue = new ArrayDeque<>();
    private final Map<Codec, FrameDecoder> decoders = new EnumMap<>(Codec.class);
    private final long[] times = new long[TIMES];
    /** The prepare marker being handled (a frame of track -1), so {@link #prepare} waits until it is done. */
    private ReceivedFrame preparing;
    private boolean skipToIdr;
    private boolean closed;
    private long dropped;
    private long decoded;
    private int timeCount;
    private String decoderName = "";
    private int width;
    private int height;

    /**
     * Starts the decode thread.
     *
     * @param capacity frames that may wait for the decoder, at least 1
     * @param factory makes a decoder for a codec; may throw {@link IllegalStateException} when it cannot
     */
    public DecodeLoop(String threadName, int capacity, Function<Codec, FrameDecoder> factory, Sink sink) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.capacity = capacity;
        this.factory = factory;
        this.sink = sink;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void onFrame(ReceivedFrame frame) {
        synchronized (queue) {
            if (closed) {
                return;
            }
            if (frame.codec() == Codec.H264) {
                boolean idr = AnnexB.containsIdr(frame.data());
                if (skipToIdr && !idr) {
                    dropped++;
                    return;
                }
                skipToIdr = false;
                if (queue.size() >= capacity) {
                    dropped += queue.size();
                    queue.clear();
                    if (!idr) {
                        dropped++;
                        skipToIdr = true;
                        return;
                    }
                }
            } else if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(frame);
            queue.notifyAll();
        }
    }

    @Override
    public void onEnd(String reason) {
        sink.ended(reason);
    }

    @Override
    public void onError(Exception error) {
        sink.error(error);
    }

    /**
     * Makes the decoder for {@code codec} now, on the decode thread, and waits for it (at most the timeout), so
     * the first frame does not wait for a decoder to start (GStreamer's takes a moment) while later ones drop.
     */
    public void prepare(Codec codec, long timeoutMillis) throws InterruptedException {
        ReceivedFrame marker = new ReceivedFrame(codec, -1, 0, 0, 0, java.nio.ByteBuffer.allocate(0));
        synchronized (queue) {
            if (closed) {
                return;
            }
            queue.addLast(marker);
            queue.notifyAll();
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
            while (queue.contains(marker) || preparing == marker) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) {
                    return;
                }
                queue.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Forgets queued frames, e.g. after a seek, so old pictures do not follow the new position. */
    public void flush() {
        synchronized (queue) {
            queue.clear();
        }
    }

    /** Frames dropped because decoding fell behind. */
    public long dropped() {
        synchronized (queue) {
            return dropped;
        }
    }

    /** Pictures decoded and handed to the sink. */
    public long decoded() {
        synchronized (queue) {
            return decoded;
        }
    }

    /** The median decode time over the last frames, in milliseconds; 0 before any. */
    public double medianDecodeMillis() {
        long[] copy;
        synchronized (queue) {
            copy = Arrays.copyOf(times, Math.min(timeCount, TIMES));
        }
        if (copy.length == 0) {
            return 0;
        }
        Arrays.sort(copy);
        return copy[copy.length / 2] / 1e6;
    }

    public String decoderName() {
        synchronized (queue) {
            return decoderName;
        }
    }

    public int width() {
        synchronized (queue) {
            return width;
        }
    }

    public int height() {
        synchronized (queue) {
            return height;
        }
    }

    /** Stops the thread (waiting for the frame being decoded) and closes the decoders. Idempotent. */
    @Override
    public void close() {
        synchronized (queue) {
            closed = true;
            queue.clear();
            queue.notifyAll();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                ReceivedFrame frame;
                synchronized (queue) {
                    while (queue.isEmpty() && !closed) {
                        queue.wait();
                    }
                    if (closed) {
                        return;
                    }
                    frame = queue.pollFirst();
                    if (frame.track() < 0) {
                        preparing = frame;
                    }
                }
                if (frame.track() < 0) {
                    try {
                        decoders.computeIfAbsent(frame.codec(), factory);
                    } catch (RuntimeException e) {
                        sink.error(e);
                    }
                    synchronized (queue) {
                        preparing = null;
                        queue.notifyAll();
                    }
                    continue;
                }
                decodeOne(frame);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (FrameDecoder d : decoders.values()) {
                d.close();
            }
            decoders.clear();
        }
    }

    private void decodeOne(ReceivedFrame frame) {
        FrameDecoder decoder = decoders.get(frame.codec());
        try {
            if (decoder == null) {
                decoder = factory.apply(frame.codec());
                decoders.put(frame.codec(), decoder);
            }
            long start = System.nanoTime();
            BufferedImage picture = decoder.decode(frame.data());
            long took = System.nanoTime() - start;
            if (picture == null) {
                return;
            }
            synchronized (queue) {
                times[timeCount++ % TIMES] = took;
                decoded++;
                decoderName = decoder.name();
                width = picture.getWidth();
                height = picture.getHeight();
            }
            sink.picture(picture, frame);
        } catch (IOException | RuntimeException e) {
            sink.error(e);
        } finally {
            if (decoder != null && !decoder.usable()) {
                decoder.close();
                decoders.remove(frame.codec());
            }
        }
    }
}
