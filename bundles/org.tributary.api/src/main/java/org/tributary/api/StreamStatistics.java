package org.tributary.api;

/**
 * Counters of one stream since it was mounted (a stream mounted again starts from zero), for metrics. Immutable.
 *
 * @param framesDelivered frames handed to viewers (a frame of a live stream counts once per viewer)
 * @param framesLate frames of an on-demand stream delivered after their presentation time: not read from the
 *        source by then, or held up on the server; live frames go out as they come and are never counted late
 * @param clockRestarts times an on-demand playback fell so far behind (more than a second) that its clock restarted
 *        at the late frame instead of sending the backlog in a burst
 */
public record StreamStatistics(long framesDelivered, long framesLate, long clockRestarts) {
}
