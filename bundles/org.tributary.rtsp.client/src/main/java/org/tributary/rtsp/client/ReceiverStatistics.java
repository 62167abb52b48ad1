package org.tributary.rtsp.client;

/**
 * What the client has received so far, summed over its tracks. A snapshot: immutable, safe to share.
 *
 * @param frames complete frames handed to the listener
 * @param framesPerSecond frames completed during the last full second
 * @param bitsPerSecond RTP bits (headers included) received during the last full second
 * @param bytes RTP bytes received, headers included
 * @param packets RTP packets received, duplicates included
 * @param packetsLost packets expected from the sequence numbers but never received (RFC 3550 A.3), never
 *        negative
 * @param droppedFrames frames the depacketizer abandoned (a fragment lost, late or unusable)
 * @param jitter interarrival jitter (RFC 3550 A.8) in timestamp units, the largest of the tracks
 * @param jitterMillis the same in milliseconds
 * @param lastSequence the highest sequence number received on the first track, -1 before any packet
 * @param byeReceived whether the server sent RTCP BYE on every track
 */
public record ReceiverStatistics(long frames, double framesPerSecond, long bitsPerSecond, long bytes, long packets,
        long packetsLost, long droppedFrames, long jitter, double jitterMillis, int lastSequence,
        boolean byeReceived) {
}
