/**
 * RTP (RFC 3550): packets of one RTP stream, header reading, RTCP sender and receiver reports, and the
 * {@link org.tributary.rtp.PayloadFormat} seam through which each codec's payload format plugs in.
 *
 * <p>Pure code: no services, no threads, no I/O.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.tributary.rtp;
