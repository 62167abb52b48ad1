/**
 * H.264 over RTP (RFC 6184, packetization-mode 1): {@link org.tributary.rtp.h264.H264PayloadFormat} and
 * {@link org.tributary.rtp.h264.H264Depacketizer} as a sending/receiving pair, the Annex B byte-stream
 * helpers that cut a stream into NAL units and access units ({@link org.tributary.rtp.h264.AnnexB}), and
 * what SDP and {@code MediaInfo} need from a sequence parameter set
 * ({@link org.tributary.rtp.h264.SequenceParameterSet}).
 *
 * <p>Pure code: no services, no threads, no I/O.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tributary.rtp.h264;
