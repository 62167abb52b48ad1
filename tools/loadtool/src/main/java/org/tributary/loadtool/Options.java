package org.tributary.loadtool;

import java.net.URI;
import java.util.Locale;

/**
 * The command line of the load tool. Immutable.
 *
 * @param url the stream every session plays
 * @param sessions how many RTSP clients
 * @param durationSeconds how long each session plays after its PLAY
 * @param transport the lower transport; only {@code udp}
 * @param serverPid the server's process id for CPU accounting, {@code null} for none
 * @param rampMillis delay between the starts of two sessions, so SETUPs do not all land at once
 * @param keepaliveSeconds interval of keepalives, 0 for half the session timeout the server announced
 */
record Options(URI url, int sessions, int durationSeconds, String transport, String serverPid, int rampMillis,
        int keepaliveSeconds) {

    static final String USAGE = """
            usage: java -jar loadtool.jar --url rtsp://HOST:PORT/PATH [options]
              --url URL            stream to play (required)
              --sessions N         concurrent RTSP sessions (default 20)
              --duration S         seconds each session plays (default 60)
              --transport udp      RTP lower transport (only udp)
              --server-pid PID     server process: report its CPU seconds per GB delivered
              --ramp-ms MS         delay between session starts (default 50)
              --keepalive S        keepalive interval (default: half the server's session timeout)
            """;

    /** @throws IllegalArgumentException with a message for the user when the arguments are wrong */
    static Options parse(String[] args) {
        URI url = null;
        int sessions = 20;
        int duration = 60;
        String transport = "udp";
        String pid = null;
        int ramp = 50;
        int keepalive = 0;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            String value = args[++i];
            switch (name) {
                case "--url" -> url = URI.create(value);
                case "--sessions" -> sessions = positive(name, value);
                case "--duration" -> duration = positive(name, value);
                case "--transport" -> transport = value.toLowerCase(Locale.ROOT);
                case "--server-pid" -> pid = Integer.toString(positive(name, value));
                case "--ramp-ms" -> ramp = nonNegative(name, value);
                case "--keepalive" -> keepalive = positive(name, value);
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url is required");
        }
        if (!"rtsp".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("--url must be rtsp://HOST[:PORT]/PATH: " + url);
        }
        if (!transport.equals("udp")) {
            throw new IllegalArgumentException("--transport " + transport + " is not supported; use udp");
        }
        return new Options(url, sessions, duration, transport, pid, ramp, keepalive);
    }

    private static int positive(String name, String value) {
        int n = nonNegative(name, value);
        if (n == 0) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return n;
    }

    private static int nonNegative(String name, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative: " + value);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number: " + value, e);
        }
    }
}
