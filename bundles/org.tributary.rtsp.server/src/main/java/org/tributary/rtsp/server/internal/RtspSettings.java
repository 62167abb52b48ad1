package org.tributary.rtsp.server.internal;

/**
 * The server's settings as plain values, resolved from configuration and framework properties.
 */
record RtspSettings(int port, String bindAddress, int sessionTimeout, int maxSessions, int maxConnections,
        int maxConnectionsPerAddress, int maxRequestBytes, int maxHeaders, int maxBodyBytes,
        int labClientIdleMillis, int maxPipelinedRequests, int interleavedQueueBytes, int stalledClientSeconds,
        int sendBufferBytes, int workerThreads, PublishAccess publishing, Redirects redirects) {

    static final int DEFAULT_PORT = 8554;

    /** The defaults of {@link RtspServerConfig} on the given port. */
    static RtspSettings defaults(int port) {
        return new RtspSettings(port, "", 60, 1000, 2000, 64, 8192, 64, 65536, 150, 16, 4 * 1024 * 1024, 10, 256 * 1024, 4,
                PublishAccess.LOOPBACK_ONLY, Redirects.NONE);
    }

    static RtspSettings of(RtspServerConfig c, int port) {
        return new RtspSettings(port, c.bindAddress(), Math.max(1, c.sessionTimeout()), Math.max(1, c.maxSessions()),
                Math.max(1, c.maxConnections()), Math.max(1, c.maxConnectionsPerAddress()),
                Math.max(256, c.maxRequestBytes()), Math.max(1, c.maxHeaders()), Math.max(0, c.maxBodyBytes()),
                Math.max(10, c.labClientIdleMillis()), Math.max(1, c.maxPipelinedRequests()),
                Math.max(65536, c.interleavedQueueBytes()), Math.max(1, c.stalledClientSeconds()),
                Math.max(0, c.sendBufferBytes()), Math.max(1, c.workerThreads()),
                PublishAccess.of(c.publishing(), c.publishUser(), c.publishPassword(), c.publishPaths()),
                Redirects.parse(c.redirects()));
    }

    RtspSettings withPort(int newPort) {
        return new RtspSettings(newPort, bindAddress, sessionTimeout, maxSessions, maxConnections,
                maxConnectionsPerAddress, maxRequestBytes, maxHeaders, maxBodyBytes, labClientIdleMillis,
                maxPipelinedRequests, interleavedQueueBytes, stalledClientSeconds, sendBufferBytes, workerThreads,
                publishing, redirects);
    }

    /** These settings with other publishing rules and redirects. */
    RtspSettings withPublishing(PublishAccess access, Redirects nextRedirects) {
        return new RtspSettings(port, bindAddress, sessionTimeout, maxSessions, maxConnections,
                maxConnectionsPerAddress, maxRequestBytes, maxHeaders, maxBodyBytes, labClientIdleMillis,
                maxPipelinedRequests, interleavedQueueBytes, stalledClientSeconds, sendBufferBytes, workerThreads,
                access, nextRedirects);
    }

    /** These settings with another per-connection queue and stall time; for tests of slow clients. */
    RtspSettings withInterleaved(int queueBytes, int stalledSeconds) {
        return new RtspSettings(port, bindAddress, sessionTimeout, maxSessions, maxConnections,
                maxConnectionsPerAddress, maxRequestBytes, maxHeaders, maxBodyBytes, labClientIdleMillis,
                maxPipelinedRequests, queueBytes, stalledSeconds, sendBufferBytes, workerThreads, publishing,
                redirects);
    }
}
