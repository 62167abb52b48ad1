package org.tributary.rtsp.client.internal;

import java.util.Locale;

/**
 * The parts of a SETUP reply's {@code Transport} header (RFC 2326 §12.39) a client needs. Immutable.
 *
 * @param tcp whether the lower transport is TCP
 * @param serverRtpPort the server's RTP port, -1 if not given
 * @param serverRtcpPort the server's RTCP port, -1 if not given
 * @param rtpChannel the interleaved RTP channel, -1 if not given
 * @param rtcpChannel the interleaved RTCP channel, -1 if not given
 * @param ssrc the server's SSRC in hex, {@code null} if not given
 */
public record TransportHeader(boolean tcp, int serverRtpPort, int serverRtcpPort, int rtpChannel, int rtcpChannel,
        String ssrc) {

    /** Reads the first transport of the header; unknown parameters are skipped. */
    public static TransportHeader parse(String header) {
        String first = header.split(",", 2)[0];
        String[] parts = first.split(";");
        boolean tcp = parts[0].strip().toUpperCase(Locale.ROOT).endsWith("/TCP");
        int[] server = {-1, -1};
        int[] interleaved = {-1, -1};
        String ssrc = null;
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = p.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = p.substring(eq + 1).strip();
            switch (key) {
                case "server_port" -> server = range(value);
                case "interleaved" -> interleaved = range(value);
                case "ssrc" -> ssrc = value;
                default -> { }
            }
        }
        return new TransportHeader(tcp, server[0], server[1], interleaved[0], interleaved[1], ssrc);
    }

    /** {@code a-b} or {@code a}; a missing second number is the first plus one. */
    private static int[] range(String value) {
        String[] ends = value.split("-", 2);
        try {
            int a = Integer.parseInt(ends[0].strip());
            int b = ends.length > 1 && !ends[1].isBlank() ? Integer.parseInt(ends[1].strip()) : a + 1;
            return new int[] {a, b};
        } catch (NumberFormatException e) {
            return new int[] {-1, -1};
        }
    }
}
