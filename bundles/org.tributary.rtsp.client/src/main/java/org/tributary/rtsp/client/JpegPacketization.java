package org.tributary.rtsp.client;

/** How a JPEG track (payload type 26) packs its images into RTP packets. */
public enum JpegPacketization {
    /**
     * Decide from the first packet: a payload that starts with SOI ({@code FF D8}) is {@link #RAW}, anything
     * else {@link #RFC_2435}. An RFC 2435 payload starts with its type-specific byte, which is never
     * {@code FF} in practice.
     */
    AUTO,
    /** RFC 2435: an 8-byte JPEG header, fragments of the scan data, tables rebuilt by the receiver. */
    RFC_2435,
    /** The classic lab format: one whole JFIF image (SOI…EOI) per packet, no JPEG header. */
    RAW
}
