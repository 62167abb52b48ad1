package org.tributary.api;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told what happens on a {@link Delivery}'s return path. Called on transport threads; must not block.
 */
@ConsumerType
public interface DeliveryListener {

    /** An RTCP packet (receiver report, BYE) came from the client; the buffer is valid during the call. */
    void onControl(ByteBuffer rtcp);

    /** The delivery ended without its owner closing it (transport gone, client dead); the reason is for a person. */
    void onClosed(String reason);

    /**
     * An RTP packet came from the client: the media of a client that publishes (RTSP {@code RECORD}). The buffer
     * is valid during the call only; copy what must be kept. Packets of one delivery arrive on one thread at a
     * time and in the order they were received. Ignored unless overridden, as by every viewer's listener.
     *
     * @since 1.2
     */
    default void onData(ByteBuffer rtp) {
    }
}
