/**
 * An RTSP 1.0 client (RFC 2326) that plays a stream over RTP/UDP or RTP/TCP interleaved and hands whole
 * frames to the program: {@link org.tributary.rtsp.client.RtspClient} with its
 * {@link org.tributary.rtsp.client.RtspClientOptions} and {@link org.tributary.rtsp.client.RtspClientListener}.
 *
 * <p>A plain library: no services, no static state holding threads. It works the same inside an OSGi
 * framework and on a plain class path.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tributary.rtsp.client;
