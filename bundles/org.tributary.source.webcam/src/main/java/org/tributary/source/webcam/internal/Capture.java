package org.tributary.source.webcam.internal;

import java.awt.Dimension;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.github.sarxos.webcam.Webcam;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.source.webcam.internal.Cameras.CameraException;

/**
 * One feed of a webcam source, from a {@code start} to its {@code stop}: a thread {@code tributary-webcam-<stream>}
 * that opens the camera, grabs a picture at each deadline ({@code start + n * period}, so that late grabs do not
 * add up), encodes it and hands it to the sink, and closes the camera when told to stop or when the camera fails.
 *
 * <p>The sink hears from this thread only, under this object's monitor, which {@link #close()} also takes: once
 * close has returned the sink hears nothing more. A failure (no such camera, camera in use, open failed, no picture
 * for {@value #STALL_MILLIS} ms, as when it is unplugged) ends the feed with {@link EndReason#FAILED} and a message
 * naming stream and camera; {@code close} sends no {@code onEnd}.
 */
final class Capture {

    /** How long a camera may deliver no picture before the feed fails. */
    static final long STALL_MILLIS = 3_000;

    /** How long {@link #close()} waits for the capture thread, which may be inside the camera driver. */
    static final long JOIN_MILLIS = 5_000;

    private static final System.Logger LOG = System.getLogger(Capture.class.getName());

    /** Told the camera's real picture size once it is open. */
    interface OpenListener {
        void opened(int width, int height);
    }

    private final CaptureSettings settings;
    private final FrameSink sink;
    private final OpenListener listener;
    private final Thread thread;
    private volatile boolean running = true;

    // Guarded by this.
    private boolean closed;
    private boolean ended;

    Capture(CaptureSettings settings, FrameSink sink, OpenListener listener) {
        this.settings = settings;
        this.sink = sink;
        this.listener = listener;
        this.thread = new Thread(this::run, "tributary-webcam-" + settings.name());
        thread.setDaemon(true);
        // The library loads its native code and creates its own threads through the context class loader.
        thread.setContextClassLoader(Webcam.class.getClassLoader());
    }

    void begin() {
        thread.start();
    }

    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        running = false;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "stream {0}: the camera driver did not return within {1} s of stop; "
                    + "its thread ends when the driver does", settings.name(), JOIN_MILLIS / 1000);
        }
    }

    private void run() {
        Webcam webcam;
        try {
            webcam = Cameras.claim(settings);
        } catch (CameraException e) {
            fail(e.getMessage());
            return;
        } catch (RuntimeException e) {
            fail("finding camera '" + settings.device() + "' failed: " + Cameras.message(e));
            return;
        }
        String camera = webcam.getName();
        try (JpegEncoder encoder = JpegEncoder.fastest(settings.quality())) {
            if (!open(webcam, camera)) {
                return;
            }
            Dimension size = webcam.getViewSize();
            listener.opened(size.width, size.height);
            LOG.log(System.Logger.Level.INFO, "stream {0}: camera ''{1}'' open at {2}x{3}, {4} frames/s, {5}",
                    settings.name(), camera, size.width, size.height, settings.frameRate(), encoder.name());
            capture(webcam, camera, size, encoder);
        } catch (RuntimeException e) {
            fail("camera '" + camera + "' failed: " + Cameras.message(e));
        } finally {
            closeQuietly(webcam, camera);
            Cameras.free(webcam, settings.name());
        }
    }

    private boolean open(Webcam webcam, String camera) {
        try {
            if (webcam.isOpen()) {
                webcam.close();
            }
            Cameras.requestSize(webcam, settings.width(), settings.height());
            if (settings.driver() == CaptureSettings.Driver.TEST_PATTERN) {
                // The library's lock files guard real cameras across processes; test patterns need none.
                webcam.getLock().disable();
            }
            if (!webcam.open()) {
                fail("camera '" + camera + "' could not be opened");
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            fail("camera '" + camera + "' could not be opened: " + Cameras.message(e));
            return false;
        }
    }

    private void capture(Webcam webcam, String camera, Dimension size, JpegEncoder encoder) {
        long period = settings.periodNanos();
        byte[] rgb = new byte[size.width * size.height * 3];
        long start = System.nanoTime();
        long deadline = start;
        long lastPicture = start;
        long index = 0;
        while (running) {
            long wait = deadline - System.nanoTime();
            while (running && wait > 0) {
                LockSupport.parkNanos(this, wait);
                wait = deadline - System.nanoTime();
            }
            if (!running) {
                return;
            }
            ByteBuffer picture = webcam.getImageBytes();
            long grabbed = System.nanoTime();
            if (picture == null || picture.remaining() < rgb.length) {
                if (grabbed - lastPicture > TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS)) {
                    fail("camera '" + camera + "' delivered no picture for " + STALL_MILLIS / 1000
                            + " s; is it unplugged?");
                    return;
                }
            } else {
                lastPicture = grabbed;
                picture.get(rgb);
                byte[] jpeg = encoder.encode(rgb, size.width, size.height);
                if (!deliver(new Frame(Codec.JPEG, index, grabbed - start, true, ByteBuffer.wrap(jpeg)))) {
                    return;
                }
                index++;
            }
            deadline += period;
            long now = System.nanoTime();
            if (now - deadline > period) {
                // Far behind (a slow camera or machine): skip the missed grabs instead of bursting to catch up.
                deadline = now;
            }
        }
    }

    private synchronized boolean deliver(Frame frame) {
        if (closed || ended) {
            return false;
        }
        sink.onFrame(frame);
        return true;
    }

    private void fail(String detail) {
        String message = "stream " + settings.name() + ": " + detail;
        synchronized (this) {
            if (closed || ended) {
                return;
            }
            ended = true;
            LOG.log(System.Logger.Level.WARNING, message);
            sink.onEnd(EndReason.FAILED, message);
        }
    }

    private void closeQuietly(Webcam webcam, String camera) {
        try {
            webcam.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: closing camera ''{1}'': {2}", settings.name(), camera,
                    Cameras.message(e));
        }
    }
}
