package org.tributary.rtsp.client;

/** How RTP and RTCP travel from the server to the client (RFC 2326 §12.39, lower transport). */
public enum LowerTransport {
    /** {@code RTP/AVP;unicast;client_port=a-b}: datagrams to a pair of local ports. */
    UDP,
    /** {@code RTP/AVP/TCP;unicast;interleaved=a-b}: {@code $} frames inside the RTSP connection. */
    TCP
}
