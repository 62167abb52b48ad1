package org.tributary.source.gstreamer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.freedesktop.gstreamer.Buffer;
import org.freedesktop.gstreamer.BufferFlags;
import org.freedesktop.gstreamer.Bus;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Element;
import org.freedesktop.gstreamer.FlowReturn;
import org.freedesktop.gstreamer.Fraction;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.GstObject;
import org.freedesktop.gstreamer.Pipeline;
import org.freedesktop.gstreamer.Sample;
import org.freedesktop.gstreamer.State;
import org.freedesktop.gstreamer.StateChangeReturn;
import org.freedesktop.gstreamer.Structure;
import org.freedesktop.gstreamer.elements.AppSink;
import org.freedesktop.gstreamer.glib.GError;

/**
 * One playing instance of a pipeline: built by {@link #play()}, torn down by {@link #stop()}, never reused.
 *
 * <p>Samples arrive on a GStreamer streaming thread; each buffer is mapped once, copied once into a heap
 * buffer the listener then owns, and released at once, so no native memory outlives the callback. Bus
 * messages arrive on gst1-java-core's dispatch thread. After {@link #stop()} returns the listener hears nothing
 * more from this run.
 */
final class PipelineRun {

    /** What a run reports; called on GStreamer's threads, so implementations hand work on and return. */
    interface Listener {

        /** The first sample's caps said this; {@code frameRate} is 0 when the caps give none. */
        void caps(PipelineRun run, int width, int height, double frameRate);

        /** One sample: its bytes (owned by the listener), its presentation time (-1 if none), whether a decoder can start here. */
        void sample(PipelineRun run, ByteBuffer data, long ptsNanos, boolean keyframe);

        /** The pipeline failed; {@code detail} names the element and gives GStreamer's message. */
        void failed(PipelineRun run, String detail);

        /** The pipeline reached its end of stream. */
        void ended(PipelineRun run);
    }

    /** The pipeline failed to build or to start; the message is GStreamer's. */
    static final class PipelineException extends Exception {
        private static final long serialVersionUID = 1L;

        PipelineException(String message) {
            super(message);
        }
    }

    private static final System.Logger LOG = System.getLogger(PipelineRun.class.getName());
    private static final long CLOCK_TIME_NONE = -1;
    private static final AtomicInteger PLAYING = new AtomicInteger();
    // How long a failed state change waits for the bus to say why, before giving a general reason.
    private static final long ERROR_WAIT_MILLIS = 1000;

    private final String stream;
    private final String launchLine;
    private final Listener listener;
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final CountDownLatch errored = new CountDownLatch(1);

    private final Bus.ERROR onError = this::busError;
    private final Bus.WARNING onWarning = this::busWarning;
    private final Bus.EOS onEos = this::busEos;
    private final AppSink.NEW_SAMPLE onSample = this::newSample;

    private Pipeline pipeline;
    private AppSink sink;
    private Bus bus;
    private boolean live;
    private boolean capsSeen;
    private boolean counted;
    private volatile boolean stopped;

    /**
     * @param stream the stream's name, for log messages
     * @param launchLine the whole pipeline, ending in the appsink named {@value LaunchLine#SINK_NAME}
     */
    PipelineRun(String stream, String launchLine, Listener listener) {
        this.stream = stream;
        this.launchLine = launchLine;
        this.listener = listener;
    }

    /**
     * Builds the pipeline and sets it playing; may block while sources open.
     *
     * @throws PipelineException with GStreamer's reason if the pipeline does not parse or cannot start; the
     *         run is then already stopped
     */
    synchronized void play() throws PipelineException {
        GstRuntime.init();
        List<GError> errors = new ArrayList<>();
        Element element;
        try {
            element = Gst.parseLaunch(launchLine, errors);
        } catch (GstException e) {
            throw new PipelineException(e.getMessage());
        }
        // Without the errors list GStreamer hands back a partial pipeline; with it, any error is fatal.
        if (!errors.isEmpty() || !(element instanceof Pipeline)) {
            if (element != null) {
                element.dispose();
            }
            throw new PipelineException(errors.isEmpty() ? "the description does not make a pipeline: " + launchLine
                    : LaunchLine.messages(errors));
        }
        pipeline = (Pipeline) element;
        Element named = pipeline.getElementByName(LaunchLine.SINK_NAME);
        if (!(named instanceof AppSink)) {
            stop();
            throw new PipelineException("the pipeline has no appsink named " + LaunchLine.SINK_NAME);
        }
        sink = (AppSink) named;
        bus = pipeline.getBus();
        bus.connect(onError);
        bus.connect(onWarning);
        bus.connect(onEos);
        sink.connect(onSample);

        StateChangeReturn paused = pipeline.setState(State.PAUSED);
        live = paused == StateChangeReturn.NO_PREROLL;
        if (!live) {
            // A file or other non-live pipeline would push frames as fast as it can decode; let the clock pace it.
            sink.set("sync", true);
        }
        if (paused == StateChangeReturn.FAILURE || pipeline.setState(State.PLAYING) == StateChangeReturn.FAILURE) {
            String reason = waitForError();
            stop();
            throw new PipelineException(reason);
        }
        counted = true;
        PLAYING.incrementAndGet();
    }

    /** How many runs in this JVM have played and not been stopped: after every source stopped, 0. */
    static int playing() {
        return PLAYING.get();
    }

    /** Whether the pipeline is live (a camera, an {@code is-live} test source): no preroll, runs in real time. */
    boolean live() {
        return live;
    }

    /**
     * Sets the pipeline to NULL and frees it; blocks until GStreamer's streaming threads have left it. Idempotent.
     */
    void stop() {
        stopped = true;
        synchronized (this) {
            if (pipeline == null) {
                return;
            }
            if (bus != null) {
                bus.disconnect(onError);
                bus.disconnect(onWarning);
                bus.disconnect(onEos);
            }
            pipeline.setState(State.NULL);
            State reached = pipeline.getState(0);
            if (sink != null) {
                sink.disconnect(onSample);
            }
            pipeline.dispose();
            pipeline = null;
            // Counted as playing until GStreamer confirms NULL, so a pipeline left running shows in playing().
            if (counted && reached == State.NULL) {
                counted = false;
                PLAYING.decrementAndGet();
            } else if (reached != State.NULL) {
                LOG.log(System.Logger.Level.WARNING, "stream {0}: the pipeline stayed in {1} after stop", stream, reached);
            }
            sink = null;
            bus = null;
        }
    }

    private String waitForError() {
        try {
            errored.await(ERROR_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String error = firstError.get();
        return error != null ? error : "the pipeline could not start; GStreamer gave no reason";
    }

    private FlowReturn newSample(AppSink appSink) {
        Sample sample = appSink.pullSample();
        if (sample == null) {
            return FlowReturn.OK;
        }
        try {
            if (stopped) {
                return FlowReturn.FLUSHING;
            }
            if (!capsSeen) {
                capsSeen = true;
                reportCaps(sample.getCaps());
            }
            Buffer buffer = sample.getBuffer();
            ByteBuffer mapped = buffer.map(false);
            if (mapped == null) {
                return FlowReturn.OK;
            }
            ByteBuffer data;
            try {
                data = ByteBuffer.allocate(mapped.remaining());
                data.put(mapped).flip();
            } finally {
                buffer.unmap();
            }
            long pts = buffer.getPresentationTimestamp();
            boolean keyframe = !buffer.getFlags().contains(BufferFlags.DELTA_UNIT);
            listener.sample(this, data, pts == CLOCK_TIME_NONE ? -1 : pts, keyframe);
            return FlowReturn.OK;
        } catch (RuntimeException e) {
            // Never let an exception unwind into GStreamer's native thread.
            LOG.log(System.Logger.Level.WARNING, "stream " + stream + ": a frame was lost", e);
            return FlowReturn.OK;
        } finally {
            sample.dispose();
        }
    }

    private void reportCaps(Caps caps) {
        if (caps == null || caps.size() == 0) {
            return;
        }
        Structure s = caps.getStructure(0);
        int width = s.hasIntField("width") ? s.getInteger("width") : 0;
        int height = s.hasIntField("height") ? s.getInteger("height") : 0;
        double frameRate = 0;
        if (s.hasField("framerate")) {
            try {
                Fraction f = s.getFraction("framerate");
                frameRate = f.getDenominator() == 0 ? 0 : f.toDouble();
            } catch (RuntimeException e) {
                // A framerate that is not a plain fraction (a range on a variable-rate source): keep the nominal one.
            }
        }
        listener.caps(this, width, height, frameRate);
    }

    private void busError(GstObject source, int code, String message) {
        String detail = name(source) + ": " + message;
        if (firstError.compareAndSet(null, detail)) {
            errored.countDown();
        }
        if (!stopped) {
            listener.failed(this, detail);
        }
    }

    private void busWarning(GstObject source, int code, String message) {
        LOG.log(System.Logger.Level.WARNING, "stream {0}: GStreamer warning from {1}", stream, name(source) + ": " + message);
    }

    private void busEos(GstObject source) {
        if (!stopped) {
            listener.ended(this);
        }
    }

    private static String name(GstObject source) {
        return source == null ? "pipeline" : source.getName();
    }
}
