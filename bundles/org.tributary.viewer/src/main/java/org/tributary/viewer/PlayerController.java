package org.tributary.viewer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.tributary.api.Codec;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtp.sdp.SessionDescription;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.rtsp.client.ReceiverStatistics;
import org.tributary.rtsp.client.RtspClient;
import org.tributary.rtsp.client.RtspClientOptions;
import org.tributary.viewer.internal.DecodeLoop;
import org.tributary.viewer.internal.Decoders;
import org.tributary.viewer.internal.Errors;

/**
 * Plays one RTSP stream at a time for a viewer: open a URL, pause, resume, seek (on-demand streams), stop,
 * with statistics. No Swing: the viewer window is built on it, and programs and tests drive it without a display.
 *
 * <p>Frames are decoded on the controller's decode thread, never on the RTSP client's receive thread; two frames
 * may wait for it, and when decoding falls behind older frames are dropped and counted
 * ({@link PlayerStatistics#droppedFrames()}). JPEG is decoded by ImageIO, H.264 by GStreamer (avdec_h264).
 *
 * <p>Threading: the control methods block until the server answers (at most the client's read timeout) and are
 * serialized; call them from any thread except the event dispatch thread of a window (it would freeze) and
 * {@link PlayerListener} callbacks. {@link #state()}, {@link #statistics()} and {@link #position()} never block.
 * After {@link #close()} no thread of the controller or its client is left.
 */
public final class PlayerController implements AutoCloseable {

    /** Frames that may wait for the decoder: enough to ride out one slow frame, few enough to stay live. */
    public static final int DECODE_QUEUE = 2;

    /** How long opening waits for a decoder to start before the first frame (GStreamer's takes a moment). */
    private static final long PREPARE_MILLIS = 5000;

    private static final System.Logger LOG = System.getLogger(PlayerController.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final ReceiverStatistics NOTHING = new ReceiverStatistics(0, 0, 0, 0, 0, 0, 0, 0, 0, -1, false);

    private final PlayerListener listener;
    private final int id = IDS.incrementAndGet();
    private volatile RtspClient client;
    private volatile DecodeLoop loop;
    private volatile PlayerState state = PlayerState.IDLE;
    private volatile String url;
    private volatile LowerTransport transport = LowerTransport.UDP;
    private volatile Duration duration;
    // The playhead: the position asked for last, plus how far the pictures shown since then have advanced.
    private volatile Duration base = Duration.ZERO;
    private volatile long originPts = -1;
    private volatile long lastPts = -1;

    public PlayerController(PlayerListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Plays {@code url} from its start, after stopping whatever played before.
     *
     * @param transport asked for in SETUP; a server that refuses UDP with 461 is asked again for TCP
     * @throws IOException with a message a person can act on (no such stream, credentials needed, server not
     *         running, not an RTSP URL); the state is then {@link PlayerState#FAILED} with the same message
     */
    public synchronized void open(String url, LowerTransport transport) throws IOException {
        checkNotClosed();
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(transport, "transport");
        closeSession();
        this.url = url.strip();
        this.transport = transport;
        this.duration = null;
        resetPlayhead(Duration.ZERO);
        setState(PlayerState.CONNECTING, "connecting to " + this.url);
        RtspClient c = null;
        DecodeLoop l = null;
        try {
            c = new RtspClient(this.url, RtspClientOptions.builder().transport(transport).build());
            Sink sink = new Sink();
            l = new DecodeLoop("tributary-viewer-decode-" + id, DECODE_QUEUE, Decoders::forCodec, sink);
            sink.owner = l;
            c.connect();
            SessionDescription sdp = c.describe();
            for (MediaDescription media : c.setup(l)) {
                for (Codec codec : Codec.values()) {
                    if (codec.encodingName().equalsIgnoreCase(media.encodingName())) {
                        l.prepare(codec, PREPARE_MILLIS);
                    }
                }
            }
            loop = l;
            client = c;
            c.play();
            Duration d = sdp.duration();
            duration = d == null || d.isZero() || d.isNegative() ? null : d;
            this.transport = c.transport();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(c, l);
            setState(PlayerState.FAILED, "interrupted while opening " + this.url);
            throw new IOException("interrupted while opening " + this.url, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(c, l);
            String message = Errors.describe(this.url, e);
            setState(PlayerState.FAILED, message);
            throw new IOException(message, e);
        }
        setState(PlayerState.PLAYING, "playing " + this.url + " over " + this.transport
                + (duration == null ? " (live)" : ""));
    }

    /** PAUSE: the server holds the stream where it is. Does nothing unless playing. */
    public synchronized void pause() throws IOException {
        RtspClient c = client;
        if (state != PlayerState.PLAYING || c == null) {
            return;
        }
        try {
            c.pause();
        } catch (IOException e) {
            throw failed(e);
        }
        setState(PlayerState.PAUSED, "paused");
    }

    /** PLAY without a range: goes on where {@link #pause()} stopped. Does nothing unless paused. */
    public synchronized void resume() throws IOException {
        RtspClient c = client;
        if (state != PlayerState.PAUSED || c == null) {
            return;
        }
        try {
            c.play();
        } catch (IOException e) {
            throw failed(e);
        }
        setState(PlayerState.PLAYING, "playing " + url);
    }

    /**
     * PLAY with {@code Range: npt=<position>-}: plays from there, paused or not. Only for on-demand streams
     * ({@link #duration()} present).
     *
     * @throws IllegalStateException if nothing seekable is open
     * @throws IOException if the server refuses (457: past the end)
     */
    public synchronized void seek(Duration position) throws IOException {
        Objects.requireNonNull(position, "position");
        RtspClient c = client;
        DecodeLoop l = loop;
        if (c == null || l == null || (state != PlayerState.PLAYING && state != PlayerState.PAUSED)) {
            throw new IllegalStateException("nothing is playing");
        }
        if (duration == null) {
            throw new IllegalStateException(url + " is live: it has no positions to seek to");
        }
        Duration to = position.isNegative() ? Duration.ZERO : position;
        l.flush();
        resetPlayhead(to);
        try {
            c.play(to);
        } catch (IOException e) {
            throw failed(e);
        }
        // Frames the server sent before it repositioned may have arrived while PLAY was on its way: a picture of
        // those would take the new position as the origin of the old timeline.
        l.flush();
        resetPlayhead(to);
        setState(PlayerState.PLAYING, "playing " + url + " from " + formatTime(to));
    }

    /** TEARDOWN, then closes the session's sockets and threads; the player is {@link PlayerState#IDLE} again. */
    public synchronized void stop() {
        if (state == PlayerState.CLOSED) {
            return;
        }
        boolean had = client != null;
        closeSession();
        if (had || state != PlayerState.IDLE) {
            setState(PlayerState.IDLE, "stopped");
        }
    }

    /** Like {@link #stop()}, for good: the controller does nothing more. Idempotent. */
    @Override
    public synchronized void close() {
        if (state == PlayerState.CLOSED) {
            return;
        }
        closeSession();
        setState(PlayerState.CLOSED, "closed");
    }

    public PlayerState state() {
        return state;
    }

    /** The URL opened last, {@code null} before any. */
    public String url() {
        return url;
    }

    /** The lower transport in use (after a 461 fallback, TCP), or asked for last. */
    public LowerTransport transport() {
        return transport;
    }

    /** The length of an on-demand stream from the SDP's {@code a=range}; empty for live streams and when idle. */
    public Optional<Duration> duration() {
        return Optional.ofNullable(duration);
    }

    /** Where the pictures shown are: the last position asked for plus their advance since; never past the end. */
    public Duration position() {
        Duration p = base;
        long origin = originPts;
        long last = lastPts;
        if (origin >= 0 && last >= origin) {
            p = p.plusNanos(last - origin);
        }
        Duration d = duration;
        return d != null && p.compareTo(d) > 0 ? d : p;
    }

    /** The server's session id, {@code null} when nothing is open. */
    public String sessionId() {
        RtspClient c = client;
        return c == null ? null : c.sessionId();
    }

    public PlayerStatistics statistics() {
        RtspClient c = client;
        DecodeLoop l = loop;
        ReceiverStatistics receiver = c == null ? NOTHING : c.statistics();
        if (l == null) {
            return new PlayerStatistics(receiver, 0, 0, 0, "", 0, 0);
        }
        return new PlayerStatistics(receiver, l.decoded(), l.dropped(), l.medianDecodeMillis(), l.decoderName(),
                l.width(), l.height());
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    public static String formatTime(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    private IOException failed(IOException e) {
        String message = Errors.describe(url, e);
        setState(PlayerState.FAILED, message);
        closeSession();
        return new IOException(message, e);
    }

    private void resetPlayhead(Duration to) {
        base = to;
        originPts = -1;
        lastPts = -1;
    }

    private void closeSession() {
        RtspClient c = client;
        DecodeLoop l = loop;
        client = null;
        loop = null;
        if (c != null) {
            c.close();
        }
        if (l != null) {
            l.close();
        }
    }

    private void closeQuietly(RtspClient c, DecodeLoop l) {
        loop = null;
        client = null;
        if (c != null) {
            c.close();
        }
        if (l != null) {
            l.close();
        }
    }

    private void checkNotClosed() {
        if (state == PlayerState.CLOSED) {
            throw new IllegalStateException("the player is closed");
        }
    }

    private void setState(PlayerState next, String message) {
        state = next;
        try {
            listener.onStateChanged(next, message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "viewer listener failed in onStateChanged", e);
        }
    }

    /** Hears one session's decode loop; ignores it once another session replaced it. */
    private final class Sink implements DecodeLoop.Sink {

        private volatile DecodeLoop owner;

        @Override
        public void picture(BufferedImage picture, ReceivedFrame frame) {
            if (owner != loop) {
                return;
            }
            if (originPts < 0) {
                originPts = frame.presentationTimeNanos();
            }
            lastPts = frame.presentationTimeNanos();
            try {
                listener.onPicture(picture, frame);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "viewer listener failed in onPicture", e);
            }
        }

        @Override
        public void ended(String reason) {
            if (owner != loop || state == PlayerState.CLOSED || state == PlayerState.IDLE) {
                return;
            }
            if (reason != null && reason.startsWith("server sent BYE")) {
                setState(PlayerState.ENDED, "end of stream (" + reason + ")");
            } else {
                setState(PlayerState.FAILED, reason == null ? "the stream ended" : reason);
            }
        }

        @Override
        public void error(Exception error) {
            LOG.log(System.Logger.Level.DEBUG, "viewer: " + url, error);
        }
    }
}
