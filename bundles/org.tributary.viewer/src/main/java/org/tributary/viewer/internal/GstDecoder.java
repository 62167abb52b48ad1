package org.tributary.viewer.internal;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.elements.AppSrc;
import org.freedesktop.gstreamer.glib.GError;

/**
 * A GStreamer decoder between an appsrc and an appsink: {@code appsrc ! <decoder> ! videoconvert !
 * video/x-raw,format=BGRx ! appsink}. Frames go in on the caller's thread; pictures come out on a GStreamer
 * streaming thread, each copied once from the mapped buffer into a new {@code TYPE_INT_RGB} picture (BGRx in
 * memory is exactly its little-endian pixel layout) so no native memory outlives the callback.
 *
 * <p>{@link #decode} returns the newest picture out so far. It waits only while the decoder owes one: a decoder
 * that reorders (H.264 with B-frames) keeps a few frames back, and that delay is learned from the first picture
 * so later calls do not wait a frame period for nothing.
 */
public final class GstDecoder implements FrameDecoder {

    private static final long WAIT_MILLIS = 1000;
    private static final long FRAME_NANOS = 1_000_000;

    private final String name;
    private final Pipeline pipeline;
    private final AppSrc source;
    private final AppSink sink;
    private final BlockingQueue<BufferedImage> pictures = new LinkedBlockingQueue<>();
    private final AtomicLong produced = new AtomicLong();
    private final AtomicReference<String> error = new AtomicReference<>();
    private final AppSink.NEW_SAMPLE onSample = this::newSample;
    private final Bus.ERROR onError = this::busError;
    private long pushed;
    private long delay = -1;
    private boolean closed;

    /** {@code jpegdec}: JPEG (JFIF) frames. */
    public static GstDecoder jpeg() {
        return new GstDecoder("GStreamer jpegdec", "image/jpeg,parsed=true", "jpegdec");
    }

    /**
     * {@code h264parse ! avdec_h264}: H.264 access units in Annex B form. Slice threading, because frame threading
     * holds back one picture per thread.
     */
    public static GstDecoder h264() {
        return new GstDecoder("GStreamer avdec_h264", "video/x-h264,stream-format=byte-stream,alignment=au",
                "h264parse ! avdec_h264 thread-type=slice");
    }

    private GstDecoder(String name, String caps, String decoder) {
        GstInit.init();
        this.name = name;
        String line = "appsrc name=src is-live=true format=time ! " + decoder
                + " ! videoconvert ! video/x-raw,format=BGRx ! appsink name=sink sync=false emit-signals=true";
        List<GError> errors = new ArrayList<>();
        Element element;
        try {
            element = Gst.parseLaunch(line, errors);
        } catch (GstException e) {
            throw new IllegalStateException("cannot build the GStreamer decoder (" + line + "): " + e.getMessage(), e);
        }
        if (!errors.isEmpty() || !(element instanceof Pipeline)) {
            if (element != null) {
                element.dispose();
            }
            throw new IllegalStateException("cannot build the GStreamer decoder (" + line + "): " + (errors.isEmpty()
                    ? "not a pipeline" : errors.get(0).getMessage()) + "; is gstreamer1.0-libav installed?");
        }
        pipeline = (Pipeline) element;
        source = (AppSrc) pipeline.getElementByName("src");
        sink = (AppSink) pipeline.getElementByName("sink");
        source.setCaps(Caps.fromString(caps));
        sink.connect(onSample);
        pipeline.getBus().connect(onError);
        if (pipeline.setState(State.PLAYING) == StateChangeReturn.FAILURE) {
            close();
            throw new IllegalStateException("the GStreamer decoder (" + line + ") does not start");
        }
    }

    @Override
    public BufferedImage decode(ByteBuffer frame) throws IOException {
        String failure = error.get();
        if (failure != null) {
            throw new IOException(name + " failed: " + failure);
        }
        Buffer buffer = new Buffer(frame.remaining());
        ByteBuffer target = buffer.map(true);
        target.put(frame.duplicate());
        buffer.unmap();
        // Increasing timestamps: decoders and videoconvert drop or reorder buffers without them.
        buffer.setPresentationTimestamp(pushed * FRAME_NANOS);
        // gst_app_src_push_buffer takes the buffer over; the wrapper is invalidated, nothing of ours to free.
        FlowReturn result = source.pushBuffer(buffer);
        if (result != FlowReturn.OK) {
            throw new IOException(name + " refused a frame: " + result);
        }
        pushed++;
        BufferedImage newest = null;
        if (delay < 0 || pushed - produced.get() > delay) {
            try {
                newest = pictures.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            if (newest == null) {
                failure = error.get();
                if (failure != null) {
                    throw new IOException(name + " failed: " + failure);
                }
                // The decoder keeps more back than learned (or the frame was undecodable): expect that from now on.
                delay = Math.max(delay, 0) + 1;
                return null;
            }
            if (delay < 0) {
                delay = pushed - produced.get();
            }
        }
        for (BufferedImage later = pictures.poll(); later != null; later = pictures.poll()) {
            newest = later;
        }
        return newest;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean usable() {
        return error.get() == null && !closed;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipeline.getBus().disconnect(onError);
        pipeline.setState(State.NULL);
        pipeline.getState(TimeUnit.SECONDS.toNanos(2));
        sink.disconnect(onSample);
        pipeline.dispose();
        pictures.clear();
    }

    private FlowReturn newSample(AppSink appSink) {
        Sample sample = appSink.pullSample();
        if (sample == null) {
            return FlowReturn.OK;
        }
        try {
            Structure caps = sample.getCaps().getStructure(0);
            int width = caps.getInteger("width");
            int height = caps.getInteger("height");
            BufferedImage picture = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            int[] pixels = ((DataBufferInt) picture.getRaster().getDataBuffer()).getData();
            Buffer buffer = sample.getBuffer();
            ByteBuffer mapped = buffer.map(false);
            try {
                mapped.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(pixels, 0,
                        Math.min(pixels.length, mapped.remaining() / 4));
            } finally {
                buffer.unmap();
            }
            // Counted before it is offered, so a decode() woken by it sees the count that includes it.
            produced.incrementAndGet();
            pictures.offer(picture);
        } catch (RuntimeException e) {
            // Never let an exception unwind into GStreamer's native thread.
            error.compareAndSet(null, "unreadable picture: " + e);
        } finally {
            sample.dispose();
        }
        return FlowReturn.OK;
    }

    private void busError(GstObject source, int code, String message) {
        error.compareAndSet(null, (source == null ? "pipeline" : source.getName()) + ": " + message);
    }
}
