/** SDP (RFC 4566) session descriptions as RTSP DESCRIBE answers them: a writer for the server, a parser for clients. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.tributary.rtp.sdp;
