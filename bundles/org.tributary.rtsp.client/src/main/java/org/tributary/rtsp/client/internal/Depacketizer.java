package org.tributary.rtsp.client.internal;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Turns the RTP packets of one track, in sequence order, into whole frames. One per track; not thread-safe.
 */
interface Depacketizer {

    /**
     * @param rtpPacket a whole RTP packet, valid only during the call
     * @return the frame this packet completes, owned by the caller, or empty
     */
    Optional<ByteBuffer> accept(ByteBuffer rtpPacket);

    /** Frames abandoned so far (a fragment lost, late or unusable). */
    long droppedFrames();
}
