package org.tributary.source.gstreamer.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.LiveSource;
import org.tributary.api.MediaInfo;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.SequenceParameterSet;
import org.tributary.rtp.jpeg.JpegException;
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.source.gstreamer.internal.PipelineRun.PipelineException;

/**
 * A GStreamer pipeline as a {@link LiveSource}: the pipeline runs only between {@link #start} and
 * {@link #stop}, so a stream nobody watches costs nothing.
 *
 * <h2>Restarts and the one {@code onEnd}</h2>
 * A feed (one {@code start} to its {@code stop}) may run the pipeline several times; restarts are internal and
 * the sink never hears of them, except that frames pause and resume at a keyframe with timestamps and indexes
 * that keep increasing. The sink gets {@link FrameSink#onEnd} once, only when the feed gives up:
 * <ul>
 * <li>{@code FAILED} when the pipeline fails before the feed's first frame (a bad element, a missing file or
 * device: retrying would only delay the answer), when its first JPEG picture is one RTP/JPEG cannot carry (4:4:4,
 * grayscale, progressive: the reason says what to put in the pipeline), when restarts are off, or when
 * {@link SourceSettings#restartAttempts()} restarts in a row failed, waiting
 * {@link SourceSettings#restartDelaySeconds()} doubled after each failure, at most 30 s;</li>
 * <li>{@code END_OF_MEDIA} at the pipeline's end of stream when {@link SourceSettings#onEos()} does not restart.</li>
 * </ul>
 * {@link #stop()} sends no {@code onEnd}: the caller stopped the feed and knows.
 *
 * <h2>MediaInfo</h2>
 * {@link #info()} is a volatile read. It starts as 0x0 at the configured frame rate; the first caps of a run fill
 * in size and frame rate, and the first H.264 keyframe the SPS and PPS. So that a DESCRIBE before anyone has
 * played gets {@code sprop-parameter-sets}, {@link #probe()} runs an H.264 pipeline once, in the background,
 * until its first keyframe.
 *
 * <h2>Threads</h2>
 * Frames are delivered on GStreamer's streaming thread. Failures, ends and restarts run on the feed's own thread
 * {@code tributary-gst-<stream>}, created on the first such event and ended by {@code stop}; the probe runs on
 * {@code tributary-gst-probe-<stream>}, which ends when the probe does or at {@link #close()}.
 */
public final class PipelineSource implements LiveSource {

    private static final System.Logger LOG = System.getLogger(PipelineSource.class.getName());
    private static final long PROBE_TIMEOUT_SECONDS = 10;
    private static final long UNSET = Long.MIN_VALUE;

    private final SourceSettings settings;
    private final String launchLine;
    private volatile MediaInfo info;
    // Why probing the pipeline failed, until a feed delivers a frame; what problem() reports.
    private volatile String problem = "";

    // Guarded by this.
    private Feed feed;
    private Feed probeFeed;
    private Thread probeThread;
    private CountDownLatch probeDone;
    private boolean closed;

    /** A source for {@code settings}; nothing runs until {@link #start} or {@link #probe()}. */
    public PipelineSource(SourceSettings settings) {
        this.settings = settings;
        this.launchLine = LaunchLine.of(settings.pipeline(), settings.codec());
        this.info = new MediaInfo(settings.codec(), 0, 0, settings.frameRate(), null, List.of());
    }

    /** The settings this source runs with. */
    public SourceSettings settings() {
        return settings;
    }

    /** Why probing the pipeline failed (a missing device, a broken element), until a feed delivers a frame. */
    @Override
    public String problem() {
        return problem;
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    @Override
    public void start(FrameSink sink) {
        Feed next = new Feed(sink, "tributary-gst-" + settings.name());
        Feed probing;
        synchronized (this) {
            if (closed) {
                sink.onEnd(EndReason.SOURCE_GONE, "stream " + settings.name() + " has been removed");
                return;
            }
            probing = probeFeed;
            probeFeed = null;
            if (probeDone != null) {
                probeDone.countDown();
            }
            feed = next;
        }
        // A camera opens once: the probe's pipeline must be gone before the feed's opens.
        if (probing != null) {
            probing.close();
        }
        next.begin();
    }

    @Override
    public void stop() {
        Feed current;
        synchronized (this) {
            current = feed;
            feed = null;
        }
        if (current != null) {
            current.close();
        }
    }

    /**
     * Learns the H.264 parameter sets without a viewer: runs the pipeline on a background thread until its first
     * keyframe (at most 10 s), then stops it. Does nothing for JPEG, when they are known, or while a feed runs.
     */
    public void probe() {
        if (settings.codec() != Codec.H264 || !info.parameterSets().isEmpty()) {
            return;
        }
        synchronized (this) {
            if (closed || feed != null || probeThread != null) {
                return;
            }
            probeDone = new CountDownLatch(1);
            probeThread = new Thread(this::runProbe, "tributary-gst-probe-" + settings.name());
            probeThread.setDaemon(true);
            probeThread.start();
        }
    }

    /** Stops whatever runs (a feed, the probe) and refuses later starts; waits for the probe thread to end. */
    public void close() {
        Thread probing;
        Feed current;
        Feed probed;
        synchronized (this) {
            closed = true;
            probing = probeThread;
            current = feed;
            probed = probeFeed;
            feed = null;
            probeFeed = null;
            if (probeDone != null) {
                probeDone.countDown();
            }
        }
        if (probed != null) {
            probed.close();
        }
        if (current != null) {
            current.close();
        }
        if (probing != null) {
            try {
                probing.join(TimeUnit.SECONDS.toMillis(PROBE_TIMEOUT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void runProbe() {
        CountDownLatch done;
        Feed mine;
        synchronized (this) {
            done = probeDone;
            if (closed || feed != null) {
                probeThread = null;
                return;
            }
            mine = new Feed(new ProbeSink(settings.name(), done, detail -> problem = detail),
                    "tributary-gst-probe-" + settings.name());
            probeFeed = mine;
        }
        long started = System.nanoTime();
        try {
            mine.begin();
            if (!done.await(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "stream {0}: no keyframe within {1} s of probing; SDP will lack "
                        + "sprop-parameter-sets until the stream first plays", settings.name(), PROBE_TIMEOUT_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                if (probeFeed == mine) {
                    probeFeed = null;
                }
                probeThread = null;
            }
            mine.close();
            LOG.log(System.Logger.Level.DEBUG, "stream {0}: probe took {1} ms", settings.name(),
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void learnCaps(int width, int height, double frameRate) {
        MediaInfo now = info;
        double rate = frameRate > 0 ? frameRate : now.frameRate();
        if (width != now.width() || height != now.height() || rate != now.frameRate()) {
            info = new MediaInfo(now.codec(), width, height, rate, null, now.parameterSets());
        }
    }

    private void learnParameterSets(ByteBuffer keyframe) {
        List<ByteBuffer> sets = AnnexB.parameterSets(keyframe);
        if (sets.isEmpty()) {
            return;
        }
        MediaInfo now = info;
        if (!sets.equals(now.parameterSets())) {
            int width = now.width();
            int height = now.height();
            if (width == 0 || height == 0) {
                // Caps without a size (some parsers leave it out): the SPS has it.
                try {
                    SequenceParameterSet sps = SequenceParameterSet.parse(sets.get(0));
                    width = sps.width();
                    height = sps.height();
                } catch (RtpException e) {
                    LOG.log(System.Logger.Level.DEBUG, "stream {0}: unreadable SPS: {1}", settings.name(),
                            e.getMessage());
                }
            }
            info = new MediaInfo(now.codec(), width, height, now.frameRate(), null, sets);
        }
    }

    /** The sink of a probe run: done at the first frame (a keyframe) or when the feed gives up. */
    private static final class ProbeSink implements FrameSink {
        private final String stream;
        private final CountDownLatch done;
        private final java.util.function.Consumer<String> failed;

        ProbeSink(String stream, CountDownLatch done, java.util.function.Consumer<String> failed) {
            this.stream = stream;
            this.done = done;
            this.failed = failed;
        }

        @Override
        public void onFrame(Frame frame) {
            done.countDown();
        }

        @Override
        public void onEnd(EndReason reason, String detail) {
            // The pipeline is broken or ended at once: say so now rather than when the first viewer arrives.
            LOG.log(System.Logger.Level.WARNING, "stream {0}: probing the pipeline failed: {1}", stream, detail);
            if (reason == EndReason.FAILED) {
                failed.accept(detail);
            }
            done.countDown();
        }
    }

    /**
     * One feed: from a {@code start} to its {@code stop}, across restarts of the pipeline. Frames and the end are
     * handed to the sink under this object's monitor, which {@link #close()} takes too: once close has returned,
     * the sink hears nothing more.
     */
    /**
     * Why RTP/JPEG (RFC 2435) cannot carry the pipeline's pictures, with the change to make to the pipeline;
     * {@code null} when it can.
     */
    static String unsendableJpeg(ByteBuffer picture) {
        try {
            Jfif jfif = Jfif.parse(picture);
            if (jfif.rfc2435Compatible()) {
                return null;
            }
            // The parser's advice is about re-encoding files; a pipeline is changed instead.
            String why = jfif.incompatibility();
            int advice = why.indexOf("; re-encode");
            return "the pipeline's JPEG pictures cannot be sent over RTP: " + (advice < 0 ? why : why.substring(0, advice))
                    + "; put video/x-raw,format=I420 (after videoconvert if needed) before jpegenc";
        } catch (JpegException e) {
            return "the pipeline's output is not a JPEG picture: " + e.getMessage();
        }
    }

    private final class Feed implements PipelineRun.Listener {

        private final FrameSink sink;
        private final ScheduledExecutorService events;
        private volatile Thread eventThread;

        // Guarded by this.
        private PipelineRun current;
        private boolean closed;
        private boolean ended;
        private long index;
        private boolean framesSeen;
        private boolean waitingForKey = true;
        private long lastTimestamp = -1;
        private long lastFrameNanos;
        private int failedRestarts;
        // Of the current run.
        private boolean runHasFrames;
        private boolean runParametersRead;
        private boolean runRefused;
        private long runBase;
        private long runFirstPts;
        private long runStartNanos;

        Feed(FrameSink sink, String threadName) {
            this.sink = sink;
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                eventThread = t;
                return t;
            });
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
            this.events = executor;
        }

        /** Runs the pipeline for the first time, on the caller's thread. */
        void begin() {
            run();
        }

        void close() {
            PipelineRun running;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                running = current;
                current = null;
            }
            events.shutdownNow();
            try {
                // The executor counts as terminated a moment before its thread has left; stop promises no thread.
                Thread thread = eventThread;
                if (!events.awaitTermination(10, TimeUnit.SECONDS) || thread != null && !join(thread)) {
                    LOG.log(System.Logger.Level.WARNING, "stream {0}: a restart did not finish within 10 s of stop",
                            settings.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (running != null) {
                running.stop();
            }
        }

        private boolean join(Thread thread) throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(10));
            return !thread.isAlive();
        }

        private void run() {
            PipelineRun run = new PipelineRun(settings.name(), launchLine, this);
            synchronized (this) {
                if (closed || ended) {
                    return;
                }
                current = run;
                long now = System.nanoTime();
                // A restarted pipeline counts from 0 again; carry on from where the last one stopped, plus the gap.
                runBase = lastTimestamp < 0 ? 0
                        : lastTimestamp + Math.max(info.framePeriodNanos(), now - lastFrameNanos);
                runFirstPts = UNSET;
                runStartNanos = now;
                runHasFrames = false;
                runParametersRead = false;
                runRefused = false;
                waitingForKey = true;
            }
            try {
                run.play();
            } catch (PipelineException e) {
                failed(run, e.getMessage());
            }
        }

        @Override
        public void caps(PipelineRun run, int width, int height, double frameRate) {
            learnCaps(width, height, frameRate);
        }

        @Override
        public void sample(PipelineRun run, ByteBuffer data, long ptsNanos, boolean keyframe) {
            boolean key = keyframe || settings.codec() == Codec.JPEG;
            synchronized (this) {
                if (closed || ended || current != run || runRefused || waitingForKey && !key) {
                    return;
                }
                if (!runHasFrames && settings.codec() == Codec.JPEG) {
                    String unsendable = unsendableJpeg(data);
                    if (unsendable != null) {
                        // The pipeline will make the same kind of picture after a restart: the feed ends.
                        runRefused = true;
                        submit(() -> giveUp(run, unsendable));
                        return;
                    }
                }
                waitingForKey = false;
                long now = System.nanoTime();
                long timestamp;
                if (ptsNanos >= 0) {
                    if (runFirstPts == UNSET) {
                        runFirstPts = ptsNanos;
                    }
                    timestamp = runBase + ptsNanos - runFirstPts;
                } else {
                    timestamp = runBase + now - runStartNanos;
                }
                timestamp = Math.max(0, timestamp);
                if (!runHasFrames) {
                    runHasFrames = true;
                    framesSeen = true;
                    failedRestarts = 0;
                }
                if (key && !runParametersRead && settings.codec() == Codec.H264) {
                    runParametersRead = true;
                    learnParameterSets(data);
                }
                lastTimestamp = Math.max(lastTimestamp, timestamp);
                lastFrameNanos = now;
                problem = "";
                sink.onFrame(new Frame(settings.codec(), index++, timestamp, key, data));
            }
        }

        @Override
        public void failed(PipelineRun run, String detail) {
            submit(() -> afterFailure(run, detail));
        }

        @Override
        public void ended(PipelineRun run) {
            submit(() -> afterEnd(run));
        }

        private void submit(Runnable task) {
            try {
                events.execute(task);
            } catch (RejectedExecutionException e) {
                // The feed is closed or has ended; nothing is left to do.
            }
        }

        private void afterFailure(PipelineRun run, String detail) {
            boolean firstRunFailed;
            synchronized (this) {
                if (closed || current != run) {
                    return;
                }
                current = null;
                firstRunFailed = !framesSeen;
            }
            run.stop();
            LOG.log(System.Logger.Level.WARNING, "stream {0}: pipeline failed: {1}", settings.name(), detail);
            if (firstRunFailed || !settings.restarts()) {
                end(EndReason.FAILED, detail);
            } else {
                restartLater(detail);
            }
        }

        private void giveUp(PipelineRun run, String detail) {
            synchronized (this) {
                if (closed || current != run) {
                    return;
                }
                current = null;
            }
            run.stop();
            LOG.log(System.Logger.Level.WARNING, "stream {0}: {1}", settings.name(), detail);
            end(EndReason.FAILED, detail);
        }

        private void afterEnd(PipelineRun run) {
            boolean hadFrames;
            synchronized (this) {
                if (closed || current != run) {
                    return;
                }
                current = null;
                hadFrames = runHasFrames;
            }
            run.stop();
            if (!settings.onEos().restarts(run.live())) {
                end(EndReason.END_OF_MEDIA, "the pipeline of stream " + settings.name() + " reached its end");
            } else if (hadFrames) {
                LOG.log(System.Logger.Level.DEBUG, "stream {0}: end of stream, restarting", settings.name());
                submit(this::run);
            } else if (!framesSeen || !settings.restarts()) {
                end(EndReason.FAILED, "the pipeline of stream " + settings.name() + " ended before its first frame");
            } else {
                restartLater("the pipeline ended before its first frame");
            }
        }

        private void restartLater(String detail) {
            int attempt;
            synchronized (this) {
                attempt = failedRestarts++;
            }
            if (attempt >= settings.restartAttempts()) {
                end(EndReason.FAILED, detail + " (gave up after " + attempt + " restarts)");
                return;
            }
            long delay = settings.restartDelayMillis(attempt);
            LOG.log(System.Logger.Level.INFO, "stream {0}: restarting the pipeline in {1} s", settings.name(),
                    delay / 1000);
            try {
                events.schedule(this::run, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed meanwhile.
            }
        }

        private void end(EndReason reason, String detail) {
            synchronized (this) {
                if (closed || ended) {
                    return;
                }
                ended = true;
                sink.onEnd(reason, detail);
            }
            events.shutdown();
        }
    }
}
