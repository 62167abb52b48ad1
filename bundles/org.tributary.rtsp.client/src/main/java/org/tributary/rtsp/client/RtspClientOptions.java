package org.tributary.rtsp.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link RtspClient} connects and receives. Immutable; made with {@link #builder()}, safe to share
 * between clients.
 */
public final class RtspClientOptions {

    /** The largest reordering buffer a client accepts, in packets. */
    public static final int MAX_JITTER_BUFFER_DEPTH = 256;

    private final LowerTransport transport;
    private final String username;
    private final String password;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final String userAgent;
    private final int jitterBufferDepth;
    private final JpegPacketization jpegPacketization;

    private RtspClientOptions(Builder b) {
        transport = b.transport;
        username = b.username;
        password = b.password;
        connectTimeout = b.connectTimeout;
        readTimeout = b.readTimeout;
        userAgent = b.userAgent;
        jitterBufferDepth = b.jitterBufferDepth;
        jpegPacketization = b.jpegPacketization;
    }

    /** UDP, no credentials, 5 s connect and 10 s read timeouts, a jitter buffer of 8 packets, JPEG detected. */
    public static RtspClientOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The lower transport asked for in SETUP; a UDP request refused with 461 falls back to TCP. */
    public LowerTransport transport() {
        return transport;
    }

    /** The user name for Basic or Digest authentication, {@code null} to take it from the URL. */
    public String username() {
        return username;
    }

    /** The password that goes with {@link #username()}. */
    public String password() {
        return password;
    }

    /** How long opening the TCP connection may take. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How long the client waits for the reply to one request. */
    public Duration readTimeout() {
        return readTimeout;
    }

    /** The {@code User-Agent} header sent with every request. */
    public String userAgent() {
        return userAgent;
    }

    /**
     * How many out-of-order packets a track holds while it waits for a missing one, 0 for none. A gap is
     * given up once this many later packets wait behind it.
     */
    public int jitterBufferDepth() {
        return jitterBufferDepth;
    }

    /** How JPEG tracks are depacketized. */
    public JpegPacketization jpegPacketization() {
        return jpegPacketization;
    }

    /** Builds {@link RtspClientOptions}. Not thread-safe. */
    public static final class Builder {
        private LowerTransport transport = LowerTransport.UDP;
        private String username;
        private String password;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(10);
        private String userAgent = "Tributary RTSP client";
        private int jitterBufferDepth = 8;
        private JpegPacketization jpegPacketization = JpegPacketization.AUTO;

        private Builder() {
        }

        public Builder transport(LowerTransport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** Credentials for servers that answer 401; they take precedence over those in the URL. */
        public Builder credentials(String username, String password) {
            this.username = Objects.requireNonNull(username, "username");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        public Builder userAgent(String userAgent) {
            Objects.requireNonNull(userAgent, "userAgent");
            if (userAgent.indexOf('\r') >= 0 || userAgent.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("userAgent must be one line");
            }
            this.userAgent = userAgent;
            return this;
        }

        /** @param depth 0..{@value RtspClientOptions#MAX_JITTER_BUFFER_DEPTH} packets */
        public Builder jitterBufferDepth(int depth) {
            if (depth < 0 || depth > MAX_JITTER_BUFFER_DEPTH) {
                throw new IllegalArgumentException("jitterBufferDepth must be 0.." + MAX_JITTER_BUFFER_DEPTH
                        + ", not " + depth);
            }
            this.jitterBufferDepth = depth;
            return this;
        }

        public Builder jpegPacketization(JpegPacketization packetization) {
            this.jpegPacketization = Objects.requireNonNull(packetization, "packetization");
            return this;
        }

        public RtspClientOptions build() {
            return new RtspClientOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + d);
            }
            return d;
        }
    }
}
