package org.tributary.api;

/**
 * Counters of a {@link Delivery}. Immutable snapshot.
 *
 * @param packets RTP packets sent
 * @param bytes RTP payload and header bytes sent
 * @param droppedFrames frames dropped because the client could not keep up
 */
public record DeliveryStats(long packets, long bytes, long droppedFrames) {

    public static final DeliveryStats NONE = new DeliveryStats(0, 0, 0);
}
