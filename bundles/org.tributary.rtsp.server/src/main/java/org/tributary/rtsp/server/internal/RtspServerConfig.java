package org.tributary.rtsp.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the RTSP server, PID {@value RtspServerComponent#PID}. */
@ObjectClassDefinition(name = "Tributary RTSP server",
        description = "The RTSP 1.0 server: port, session timeout and the limits every client is held to.")
public @interface RtspServerConfig {

    @AttributeDefinition(name = "Port", description = "TCP port of RTSP; 0 for any free port. -1 (the default): "
            + "the framework property tributary.rtsp.port, else 8554.", min = "-1", max = "65535")
    int port() default -1;

    @AttributeDefinition(name = "Bind address", description = "Address to listen on; empty or 0.0.0.0 for all.")
    String bindAddress() default "";

    @AttributeDefinition(name = "Session timeout (s)", description = "A session without a request or RTCP "
            + "for this long (plus a short grace) ends. Announced to clients in the Session header.", min = "1")
    int sessionTimeout() default 60;

    @AttributeDefinition(name = "Maximum sessions", description = "SETUP beyond this answers 503.", min = "1")
    int maxSessions() default 1000;

    @AttributeDefinition(name = "Maximum connections", description = "RTSP connections beyond this are closed.",
            min = "1")
    int maxConnections() default 2000;

    @AttributeDefinition(name = "Maximum connections per address",
            description = "Connections from one client address beyond this are closed.", min = "1")
    int maxConnectionsPerAddress() default 64;

    @AttributeDefinition(name = "Maximum request bytes", description = "Request line plus headers; larger "
            + "requests answer 400 and the connection closes.", min = "256")
    int maxRequestBytes() default 8192;

    @AttributeDefinition(name = "Maximum headers", description = "Headers of one request; more answer 400.",
            min = "1")
    int maxHeaders() default 64;

    @AttributeDefinition(name = "Maximum body bytes", description = "Body of one request; larger answer 400.",
            min = "0")
    int maxBodyBytes() default 65536;

    @AttributeDefinition(name = "Lab client idle (ms)", description = "A request without its final blank "
            + "line (the classic lab client) is taken as complete after this pause, once it has a CSeq.", min = "10")
    int labClientIdleMillis() default 150;

    @AttributeDefinition(name = "Maximum pipelined requests", description = "Requests of one connection "
            + "waiting for their reply; beyond this the server stops reading from it until it catches up.",
            min = "1")
    int maxPipelinedRequests() default 16;

    @AttributeDefinition(name = "Interleaved queue bytes", description = "Bytes of RTP/RTCP waiting to be "
            + "written to one RTSP connection (RTP/AVP/TCP); frames beyond are dropped whole.", min = "65536")
    int interleavedQueueBytes() default 4 * 1024 * 1024;

    @AttributeDefinition(name = "Stalled client (s)", description = "A client whose interleaved queue stays full "
            + "this long without a frame of it being taken has stopped reading: its connection closes and its "
            + "sessions end. Other clients never wait for it.", min = "1")
    int stalledClientSeconds() default 10;

    @AttributeDefinition(name = "Socket send buffer bytes", description = "The kernel's send buffer of each RTSP "
            + "connection (SO_SNDBUF); 0 leaves it to the system's autotuning, which lets a client that stopped "
            + "reading hold several MB before the interleaved queue and the stall check see it.", min = "0")
    int sendBufferBytes() default 256 * 1024;

    @AttributeDefinition(name = "Request workers", description = "Threads answering requests.", min = "1")
    int workerThreads() default 4;
}
