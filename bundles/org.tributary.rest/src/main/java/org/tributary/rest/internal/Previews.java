package org.tributary.rest.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.tributary.api.Codec;
import org.tributary.api.EndReason;
import org.tributary.api.Frame;
import org.tributary.api.FrameSink;
import org.tributary.api.MediaInfo;
import org.tributary.api.Playback;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.Streams;

/**
 * Previews of streams for the web page. A JPEG stream's live preview is MJPEG over HTTP
 * ({@code multipart/x-mixed-replace}): the stream's own JPEG frames, as the pacer delivers them to a
 * {@link Playback} of this client, never decoded or re-encoded. An H.264 stream gets a still card (SVG) with its
 * name, state and format: decoding H.264 here would need a decoder in the JVM or a native process per request.
 *
 * <p>Each MJPEG client has its own playback and a queue of {@value #QUEUE_FRAMES} frames; the pacer only ever
 * offers to it, and a client that reads slower loses the oldest frame, so it never holds the pacer or another
 * viewer back. The client's HTTP thread writes; its playback closes when the client goes, the stream ends, or
 * this component stops.
 */
final class Previews {

    static final int QUEUE_FRAMES = 2;
    static final String BOUNDARY = "tributary-frame";

    private static final long STILL_WAIT_MILLIS = 5000;
    private static final long POLL_MILLIS = 500;

    private final Backends backends;
    private final int max;
    private final Set<Preview> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private volatile boolean closed;

    Previews(Backends backends, int max) {
        this.backends = backends;
        this.max = max;
    }

    /** Serves the live MJPEG preview of a JPEG stream until the client goes or the stream ends. */
    void mjpeg(Exchange x, Streams streams, String name) throws Problem, IOException {
        StreamInfo stream = streams.get(name).orElseThrow(() -> Problem.notFound("no stream named '" + name + "'"));
        if (stream.info().codec() != Codec.JPEG) {
            throw new Problem(409, "stream '" + name + "' is " + stream.info().codec().encodingName()
                    + "; live previews are JPEG streams' own frames; GET /api/streams/" + ApiServlet.pathOf(name)
                    + "/still shows a still card");
        }
        if (count.incrementAndGet() > max || closed) {
            count.decrementAndGet();
            throw new Problem(503, max + " previews are open, the most allowed (maxPreviews in configuration "
                    + RestComponent.PID + "); close one or try again later");
        }
        Preview preview = new Preview();
        try {
            Playback playback = open(streams, name, preview);
            preview.playback = playback;
            open.add(preview);
            if (closed) {
                preview.close();
            }
            playback.play(null);
            x.response.setStatus(200);
            x.response.setContentType("multipart/x-mixed-replace; boundary=" + BOUNDARY);
            x.response.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
            x.response.setHeader("X-Content-Type-Options", "nosniff");
            preview.writeUntilEnd(x.response.getOutputStream());
        } catch (IOException e) {
            // The client went away (closed the page or the image): the usual end of a preview.
        } catch (IllegalStateException e) {
            // The playback ended before it started playing (the stream stopped meanwhile).
            if (!x.response.isCommitted()) {
                throw new Problem(503, "stream '" + name + "' ended before its preview began: " + e.getMessage());
            }
        } finally {
            preview.close();
            open.remove(preview);
            count.decrementAndGet();
        }
    }

    /**
     * One JPEG frame of a running JPEG stream; otherwise an SVG card with the stream's name, state and format.
     */
    void still(Exchange x, Streams streams, String name) throws Problem, IOException {
        StreamInfo stream = streams.get(name).orElseThrow(() -> Problem.notFound("no stream named '" + name + "'"));
        x.response.setHeader("Cache-Control", "no-cache, no-store, must-revalidate");
        if (stream.info().codec() == Codec.JPEG && stream.state() == org.tributary.api.StreamState.RUNNING) {
            Preview preview = new Preview();
            try {
                preview.playback = open(streams, name, preview);
                preview.playback.play(null);
                Frame frame = preview.queue.poll(STILL_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (frame != null) {
                    x.send(200, "image/jpeg", bytes(frame));
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Problem | IllegalStateException e) {
                // Falls back to the card below, which tells the state.
            } finally {
                preview.close();
            }
        }
        x.text(200, "image/svg+xml", card(stream));
    }

    private static Playback open(Streams streams, String name, FrameSink sink) throws Problem {
        try {
            return streams.open(name, sink);
        } catch (StreamException e) {
            throw Problem.of(e);
        }
    }

    /** Ends every open preview; their HTTP threads return within a poll. */
    void closeAll() {
        closed = true;
        for (Preview p : open) {
            p.close();
        }
    }

    int openCount() {
        return open.size();
    }

    private static byte[] bytes(Frame frame) {
        ByteBuffer data = frame.data();
        byte[] out = new byte[data.remaining()];
        data.get(out);
        return out;
    }

    static String card(StreamInfo stream) {
        MediaInfo info = stream.info();
        String format = info.codec().encodingName() + (info.width() > 0 ? " " + info.width() + "x" + info.height() : "")
                + " " + String.format(Locale.ROOT, "%.3g", info.frameRate()).replaceAll("\\.?0+$", "") + " fps";
        String state = stream.state().name() + (stream.reason().isEmpty() ? "" : ": " + stream.reason());
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"180\" viewBox=\"0 0 320 180\">"
                + "<rect width=\"320\" height=\"180\" fill=\"#1f2933\"/>"
                + "<text x=\"16\" y=\"40\" fill=\"#f5f7fa\" font-family=\"sans-serif\" font-size=\"20\">"
                + xml(stream.name()) + "</text>"
                + "<text x=\"16\" y=\"80\" fill=\"#9aa5b1\" font-family=\"sans-serif\" font-size=\"14\">"
                + xml(format) + "</text>"
                + "<text x=\"16\" y=\"110\" fill=\"#9aa5b1\" font-family=\"sans-serif\" font-size=\"14\">"
                + xml(state.length() > 60 ? state.substring(0, 57) + "..." : state) + "</text>"
                + "<text x=\"16\" y=\"160\" fill=\"#616e7c\" font-family=\"sans-serif\" font-size=\"12\">"
                + "no live preview: play the RTSP URL</text></svg>";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** One client's preview: the sink the pacer offers to, and the queue its HTTP thread takes from. */
    private static final class Preview implements FrameSink {

        final ArrayBlockingQueue<Frame> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
        volatile Playback playback;
        volatile boolean ended;
        private byte[] buffer = new byte[64 * 1024];

        @Override
        public void onFrame(Frame frame) {
            // Never blocks: a full queue loses its oldest frame, so the client sees the newest.
            while (!queue.offer(frame)) {
                queue.poll();
            }
        }

        @Override
        public void onEnd(EndReason reason, String detail) {
            ended = true;
        }

        void writeUntilEnd(OutputStream out) throws IOException {
            byte[] header = ("--" + BOUNDARY + "\r\nContent-Type: image/jpeg\r\nContent-Length: ")
                    .getBytes(StandardCharsets.US_ASCII);
            try {
                while (!ended || !queue.isEmpty()) {
                    Frame frame = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
                    if (frame == null) {
                        continue;
                    }
                    ByteBuffer data = frame.data();
                    int size = data.remaining();
                    if (buffer.length < size) {
                        buffer = new byte[Math.max(size, buffer.length * 2)];
                    }
                    data.get(buffer, 0, size);
                    out.write(header);
                    out.write((size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(buffer, 0, size);
                    out.write('\r');
                    out.write('\n');
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void close() {
            ended = true;
            Playback p = playback;
            if (p != null) {
                p.close();
            }
        }
    }
}
