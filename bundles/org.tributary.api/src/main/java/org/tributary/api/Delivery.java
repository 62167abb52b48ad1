package org.tributary.api;

import java.nio.ByteBuffer;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One open path from the server to one client, made by a {@link Transport} for a session.
 *
 * <p>Thread-safe. {@link #send(List)} and {@link #sendControl(ByteBuffer)} never block: a delivery that
 * cannot keep up drops whole frames and counts them, so one slow client never delays another. The buffers
 * handed in are shared with other deliveries: read them, never modify or keep them past the write.
 */
@ProviderType
public interface Delivery extends AutoCloseable {

    /**
     * The transport specification for the SETUP reply, without {@code ssrc}, e.g.
     * {@code RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971}.
     */
    String transportHeader();

    /**
     * Sends the RTP packets of one frame, all or none.
     *
     * @return {@code false} if the frame was dropped (queue full, client gone)
     */
    boolean send(List<ByteBuffer> packets);

    /** Sends one RTCP packet (sender report, BYE). Dropped silently if it cannot be sent now. */
    void sendControl(ByteBuffer rtcp);

    /** Counters since the delivery opened. */
    DeliveryStats stats();

    /** Stops sending and releases the delivery's resources. Idempotent; the listener is not told. */
    @Override
    void close();
}
