package org.tributary.viewer;

import org.tributary.rtsp.client.ReceiverStatistics;

/**
 * What a {@link PlayerController} has received and shown. A snapshot: immutable, safe to share.
 *
 * @param receiver the RTSP client's counters (frames, fps, bitrate, loss, jitter); all zero before playing
 * @param decodedPictures pictures decoded and handed to the listener
 * @param droppedFrames frames the player threw away because decoding fell behind (H.264: up to the next IDR)
 * @param decodeMillis the median time to decode one frame over the last frames decoded, 0 before any
 * @param decoder the decoder in use, e.g. {@code ImageIO} or {@code GStreamer avdec_h264}; empty before any
 * @param width width of the last picture, 0 before any
 * @param height height of the last picture, 0 before any
 */
public record PlayerStatistics(ReceiverStatistics receiver, long decodedPictures, long droppedFrames,
        double decodeMillis, String decoder, int width, int height) {
}
