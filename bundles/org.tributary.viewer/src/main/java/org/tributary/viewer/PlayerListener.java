package org.tributary.viewer;

import java.awt.image.BufferedImage;

import org.tributary.rtsp.client.ReceivedFrame;

/**
 * What a {@link PlayerController} tells its user.
 *
 * <p>Threading: {@link #onPicture} runs on the player's decode thread ({@code tributary-viewer-decode-<n>}), one
 * call at a time; while it runs no other picture is decoded, so it should hand the picture on (e.g. store it and
 * call {@code repaint()}) and return. {@link #onStateChanged} runs on whichever thread changed the state: a
 * thread calling the controller, or one of the RTSP client's receive threads when the stream ends. Neither may
 * call the controller's blocking methods.
 */
public interface PlayerListener {

    /**
     * A picture was decoded.
     *
     * @param picture owned by the listener from now on; the player never touches it again
     * @param frame the frame it was decoded from, as received
     */
    void onPicture(BufferedImage picture, ReceivedFrame frame);

    /**
     * The player's state changed.
     *
     * @param message for a person: what is playing, or what went wrong and what to do about it; never
     *        {@code null}
     */
    default void onStateChanged(PlayerState state, String message) {
    }
}
