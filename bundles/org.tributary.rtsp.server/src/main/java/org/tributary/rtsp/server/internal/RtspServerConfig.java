package org.tributary.rtsp.server.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

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

    @AttributeDefinition(name = "Publishing", description = "Who may publish a stream (ANNOUNCE and RECORD, e.g. "
            + "ffmpeg -f rtsp): off: nobody; loopback: programs on this machine without a password, others with "
            + "publishUser and publishPassword when they are set; password: everyone, with publishUser and "
            + "publishPassword; anyone: everyone, without a password.", options = {
                @Option(value = "off", label = "Nobody"),
                @Option(value = "loopback", label = "This machine; others with the password"),
                @Option(value = "password", label = "Everyone with the password"),
                @Option(value = "anyone", label = "Everyone, no password") })
    String publishing() default "loopback";

    @AttributeDefinition(name = "Publishing user", description = "User name publishers give (RTSP Digest or "
            + "Basic authentication, e.g. rtsp://user:password@host:8554/live).")
    String publishUser() default "";

    @AttributeDefinition(name = "Publishing password", description = "Password publishers give; empty: nobody "
            + "who needs one can publish.", type = AttributeType.PASSWORD)
    String publishPassword() default "";

    @AttributeDefinition(name = "Publishing paths", description = "Paths a stream may be published at, as globs: "
            + "* matches any text, including '/' (e.g. live/*). A path that has a source already is refused.")
    String[] publishPaths() default { "*" };

    @AttributeDefinition(name = "Redirects", description = "path=rtsp://other-server:8554/path entries: a request "
            + "for that path (or a track of it) without a session answers 302 Moved Temporarily with that Location, "
            + "so clients play from the other server.")
    String[] redirects() default {};
}
