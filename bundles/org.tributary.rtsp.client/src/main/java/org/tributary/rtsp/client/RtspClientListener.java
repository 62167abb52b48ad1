package org.tributary.rtsp.client;

/**
 * What a program hears from a playing {@link RtspClient}.
 *
 * <p>Threading: every method is called on one of the client's receive threads, and calls for one client
 * never overlap. They must not block: while one runs, the client reads no packets (UDP) or nothing at all
 * from the connection (TCP), so a slow listener loses packets or stalls RTSP replies. Hand work to
 * another thread (e.g. a Swing {@code invokeLater}, a bounded queue). A listener must not call the client's
 * blocking methods ({@link RtspClient#pause()}, {@link RtspClient#play()}, {@link RtspClient#teardown()})
 * from inside a callback; {@link RtspClient#statistics()} is fine.
 */
public interface RtspClientListener {

    /**
     * A complete frame arrived.
     *
     * @param frame owned by the listener from now on; its bytes never change and may be kept or passed to
     *        other threads
     */
    void onFrame(ReceivedFrame frame);

    /**
     * The stream ended: the server sent RTCP BYE on every track, or the connection to the server was lost.
     * Called at most once per client, never after {@link RtspClient#close()} began.
     *
     * @param reason for a person, e.g. {@code "server sent BYE: End of stream"}
     */
    default void onEnd(String reason) {
    }

    /**
     * Something went wrong that does not end the stream: {@link #onFrame} threw, a keepalive was refused,
     * an RTCP report could not be sent.
     */
    default void onError(Exception error) {
    }
}
