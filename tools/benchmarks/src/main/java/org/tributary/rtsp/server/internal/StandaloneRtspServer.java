package org.tributary.rtsp.server.internal;

import java.net.BindException;
import java.util.List;
import java.util.Map;

import org.tributary.api.SessionInfo;
import org.tributary.api.Streams;
import org.tributary.api.Transport;

/**
 * The RTSP server outside a framework, for measurements: {@link RtspServer} with its default settings, serving
 * one {@code RTP/AVP} transport handed in by the caller. Publishing is refused.
 *
 * <p>Lives in the server's package to reach its package-private classes; on a plain class path (no OSGi) a
 * package may span jars.
 */
public final class StandaloneRtspServer implements AutoCloseable {

    private final RtspServer server;
    private final int port;

    private StandaloneRtspServer(RtspServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts listening on a free port of {@code bindAddress}.
     *
     * @param udp the transport for {@code RTP/AVP}; the caller closes it after this server
     * @throws BindException if no port can be bound on the address
     */
    public static StandaloneRtspServer start(String bindAddress, Streams streams, Transport udp)
            throws BindException {
        TransportRegistry transports = new TransportRegistry();
        transports.add(udp, Map.of(Transport.PROFILE, "RTP/AVP"));
        RtspSettings d = RtspSettings.defaults(0);
        RtspSettings settings = new RtspSettings(0, bindAddress, d.sessionTimeout(), d.maxSessions(),
                d.maxConnections(), d.maxConnectionsPerAddress(), d.maxRequestBytes(), d.maxHeaders(),
                d.maxBodyBytes(), d.labClientIdleMillis(), d.maxPipelinedRequests(), d.interleavedQueueBytes(),
                d.stalledClientSeconds(), d.sendBufferBytes(), d.workerThreads(), d.publishing(), d.redirects());
        RtspServer server = new RtspServer(settings, streams, transports);
        return new StandaloneRtspServer(server, server.start());
    }

    /** The port listened on. */
    public int port() {
        return port;
    }

    /** The open RTSP sessions with what each delivery sent and dropped, oldest first. */
    public List<SessionInfo> sessions() {
        return server.sessions().list();
    }

    /** Ends every session with BYE, closes every connection and stops every thread of the server. */
    @Override
    public void close() {
        server.close();
    }
}
