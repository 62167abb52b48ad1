package org.tributary.source.webcam.internal;

import org.tributary.api.EndReason;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;

/**
 * A camera as a {@link LiveSource}: the camera is open only between {@link #start} and {@link #stop}, so a stream
 * nobody watches leaves the camera free and costs nothing.
 *
 * <p>{@link #info()} starts at the configured size and frame rate and takes the camera's actual size once it is
 * open. Thread-safe.
 */
final class WebcamSource implements LiveSource {

    private final CaptureSettings settings;
    private volatile MediaInfo info;

    // Guarded by this.
    private Capture capture;
    private boolean closed;

    WebcamSource(CaptureSettings settings) {
        this.settings = settings;
        this.info = MediaInfo.jpeg(settings.width(), settings.height(), settings.frameRate(), null);
    }

    CaptureSettings settings() {
        return settings;
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    /** Opens the camera on the capture thread and returns; frames and any failure arrive from that thread. */
    @Override
    public void start(FrameSink sink) {
        Capture previous;
        Capture next;
        synchronized (this) {
            if (closed) {
                sink.onEnd(EndReason.SOURCE_GONE, "stream " + settings.name() + " has been removed");
                return;
            }
            previous = capture;
            next = new Capture(settings, sink, this::opened);
            capture = next;
        }
        // One camera, one capture: a feed started without a stop gives the camera up first.
        if (previous != null) {
            previous.close();
        }
        next.begin();
    }

    /** Closes the camera and waits for the capture thread to end; no frame is delivered after it returns. */
    @Override
    public void stop() {
        Capture current;
        synchronized (this) {
            current = capture;
            capture = null;
        }
        if (current != null) {
            current.close();
        }
    }

    /** Stops any capture and refuses later starts. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        stop();
    }

    private void opened(int width, int height) {
        MediaInfo now = info;
        if (now.width() != width || now.height() != height) {
            info = MediaInfo.jpeg(width, height, settings.frameRate(), null);
        }
    }
}
