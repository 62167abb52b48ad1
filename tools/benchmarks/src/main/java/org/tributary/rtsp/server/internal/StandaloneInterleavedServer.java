package org.tributary.rtsp.server.internal;

import java.net.BindException;
import java.util.List;
import java.util.Map;

import org.tributary.api.SessionInfo;
import org.tributary.api.Streams;
import org.tributary.api.Transport;

/**
 * The RTSP server outside a framework, for measurements: {@link RtspServer} with its default settings but for the
 * interleaved queue and the stalled-client time, serving one {@code RTP/AVP/TCP} transport handed in by the
 * caller. Publishing is refused.
 *
 * <p>Lives in the server's package to reach its package-private classes; on a plain class path (no OSGi) a
 * package may span jars.
 */
public final class StandaloneInterleavedServer implements AutoCloseable {

    private final RtspServer server;
    private final int port;

    private StandaloneInterleavedServer(RtspServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts listening on a free port of {@code bindAddress}.
     *
     * @param tcp the transport for {@code RTP/AVP/TCP}; the caller closes it after this server
     * @param interleavedQueueBytes bytes that may wait for one client's connection before its frames are dropped
     * @param stalledClientSeconds how long a connection may take nothing queued before the server drops it
     * @throws BindException if no port can be bound on the address
     */
    public static StandaloneInterleavedServer start(String bindAddress, Streams streams, Transport tcp,
            int interleavedQueueBytes, int stalledClientSeconds) throws BindException {
        TransportRegistry transports = new TransportRegistry();
        transports.add(tcp, Map.of(Transport.PROFILE, "RTP/AVP/TCP"));
        RtspSettings d = RtspSettings.defaults(0);
        RtspSettings settings = new RtspSettings(0, bindAddress, d.sessionTimeout(), d.maxSessions(),
                d.maxConnections(), d.maxConnectionsPerAddress(), d.maxRequestBytes(), d.maxHeaders(),
                d.maxBodyBytes(), d.labClientIdleMillis(), d.maxPipelinedRequests(), interleavedQueueBytes,
                stalledClientSeconds, d.sendBufferBytes(), d.workerThreads(), d.publishing(), d.redirects());
        RtspServer server = new RtspServer(settings, streams, transports);
        return new StandaloneInterleavedServer(server, server.start());
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
