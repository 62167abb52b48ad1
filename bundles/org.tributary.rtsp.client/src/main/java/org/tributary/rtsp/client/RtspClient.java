package org.tributary.rtsp.client;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtp.sdp.SessionDescription;
import org.tributary.rtsp.client.internal.ClientSession;

/**
 * Plays one RTSP 1.0 stream (RFC 2326): OPTIONS, DESCRIBE, SETUP of each video track it can depacketize,
 * PLAY, PAUSE, TEARDOWN, with keepalives, receiver reports and authentication handled on its own. Frames
 * go to an {@link RtspClientListener}.
 *
 * <pre>{@code
 * try (RtspClient client = RtspClient.start("rtsp://cam.local:8554/live", RtspClientOptions.defaults(),
 *         frame -> queue.offer(frame))) {
 *     ...
 *     ReceiverStatistics stats = client.statistics();
 * }
 * }</pre>
 *
 * <p>Step by step: {@link #connect()}, {@link #describe()}, {@link #setup(RtspClientListener)},
 * {@link #play()}; later {@link #pause()}, {@link #play(Duration)} to seek, {@link #teardown()}, and
 * always {@link #close()}.
 *
 * <p>Behaviour on the wire: track control URLs are resolved against {@code Content-Base}, then
 * {@code Content-Location}, then the request URL (RFC 2326 §C.1.1); PLAY, PAUSE and TEARDOWN go to the
 * aggregate URL. With UDP, the client binds an even/odd port pair per track and sends RTCP receiver
 * reports every 5 s to the server's RTCP port; a UDP SETUP answered 461 on the first track is retried
 * over TCP ({@link #transport()} tells which was used). With TCP, RTP and RTCP arrive as {@code $} frames
 * in the RTSP connection. Keepalives are GET_PARAMETER (OPTIONS when the server's {@code Public} header
 * lacks it) every half session timeout. On 401 the request is repeated once with Basic or Digest (MD5)
 * credentials from the options or the URL, and every later request carries them.
 *
 * <p>Receiving: packets pass a small reordering buffer (by sequence number, {@link
 * RtspClientOptions#jitterBufferDepth()} deep) before the depacketizer; statistics are taken on arrival.
 *
 * <p>Threading: the control methods block until the server answers (at most the read timeout) and are
 * serialized; call them from any thread but not from a listener callback. {@link #statistics()} and
 * {@link #close()} never block on a pending request. The client runs daemon threads named
 * {@code tributary-rtsp-client-<role>-<n>} (the RTSP reader, the UDP receiver, the timer); {@link
 * #close()} stops every one of them and closes every socket.
 */
public final class RtspClient implements AutoCloseable {

    private final ClientSession session;

    /**
     * A client for one URL; nothing is sent until {@link #connect()}.
     *
     * @param url {@code rtsp://[user:password@]host[:port]/path}, port 554 by default; percent-escapes in
     *        the user information are decoded
     * @throws IllegalArgumentException if the URL is not an rtsp URL with a host
     */
    public RtspClient(String url, RtspClientOptions options) {
        this.session = new ClientSession(Objects.requireNonNull(url, "url"), Objects.requireNonNull(options,
                "options"));
    }

    /**
     * Connects, describes, sets up every playable video track and plays from the start; closes the client
     * again if any step fails.
     */
    public static RtspClient start(String url, RtspClientOptions options, RtspClientListener listener)
            throws IOException {
        RtspClient client = new RtspClient(url, options);
        try {
            client.connect();
            client.describe();
            client.setup(listener);
            client.play();
            return client;
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Opens the TCP connection and sends OPTIONS to learn the server's methods. An error status to OPTIONS
     * is ignored (some servers refuse it), except 401.
     *
     * @throws IOException if the server cannot be reached within the connect timeout
     * @throws RtspException 401 if credentials are missing or refused
     */
    public void connect() throws IOException {
        session.connect();
    }

    /**
     * Sends DESCRIBE and parses the SDP.
     *
     * @throws RtspException with the server's status, e.g. 404 for an unknown stream
     */
    public SessionDescription describe() throws IOException {
        return session.describe();
    }

    /**
     * Sends SETUP for every video track with a depacketizer (JPEG today) and starts receiving. Other tracks
     * are left out.
     *
     * @param listener receives frames and the end of the stream; see {@link RtspClientListener} for threading
     * @return the media descriptions of the tracks set up, in SDP order
     * @throws IOException if no track is playable or the server refuses one
     */
    public List<MediaDescription> setup(RtspClientListener listener) throws IOException {
        return session.setup(Objects.requireNonNull(listener, "listener"));
    }

    /** Sends PLAY without a range: starts, or resumes after {@link #pause()} where the stream stopped. */
    public void play() throws IOException {
        session.play(null);
    }

    /**
     * Sends PLAY with {@code Range: npt=<from>-}: plays (or seeks) from that position. Live streams ignore
     * the range.
     *
     * @throws RtspException 457 if the position is past the end
     */
    public void play(Duration from) throws IOException {
        session.play(Objects.requireNonNull(from, "from"));
    }

    /** Sends PAUSE. Receiving stays ready for the next {@link #play()}. */
    public void pause() throws IOException {
        session.pause();
    }

    /**
     * Sends TEARDOWN and stops receiving. The client can do nothing more but {@link #close()}; the
     * listener's {@code onEnd} is not called.
     */
    public void teardown() throws IOException {
        session.teardown();
    }

    /** A snapshot of what has been received so far; cheap, never blocks on the network. */
    public ReceiverStatistics statistics() {
        return session.statistics();
    }

    /** The SDP from {@link #describe()}, {@code null} before it. */
    public SessionDescription sessionDescription() {
        return session.sessionDescription();
    }

    /** The lower transport in use: the option, or TCP after a UDP SETUP was refused with 461. */
    public LowerTransport transport() {
        return session.transport();
    }

    /** The server's session id, {@code null} before SETUP and after TEARDOWN. */
    public String sessionId() {
        return session.sessionId();
    }

    /** The methods the server listed in its OPTIONS reply ({@code Public}), upper case; empty if none. */
    public Set<String> serverMethods() {
        return session.serverMethods();
    }

    /**
     * Sends TEARDOWN if a session is open (waiting at most a second for the answer), then stops every
     * thread and closes every socket. The listener hears nothing more. Idempotent.
     */
    @Override
    public void close() {
        session.close();
    }
}
