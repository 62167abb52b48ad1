package org.tributary.viewer.internal;

import java.util.ArrayList;
import java.util.List;

import org.tributary.rtsp.client.LowerTransport;

/**
 * The command line of {@code java -jar viewer.jar}: {@code [--tcp|--udp] [--http-port N] URL}, or the classic lab
 * client's {@code host port rtp_port file}, which plays {@code rtsp://host:port/file}.
 *
 * @param url what to play
 * @param transport the lower transport to ask for
 * @param httpPort where the server's REST API lists its streams
 * @param note something the user should know about the arguments, {@code null} if nothing
 */
public record ViewerArguments(String url, LowerTransport transport, int httpPort, String note) {

    public static final String USAGE = "usage: java -jar viewer.jar [--tcp|--udp] [--http-port N] rtsp://host[:port]/path\n"
            + "       java -jar viewer.jar host port rtp_port file      (the classic lab client's arguments)";

    /** @throws IllegalArgumentException with what is wrong; show it with {@link #USAGE} */
    public static ViewerArguments parse(String... args) {
        LowerTransport transport = LowerTransport.UDP;
        int httpPort = StreamCatalog.DEFAULT_HTTP_PORT;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--tcp":
                    transport = LowerTransport.TCP;
                    break;
                case "--udp":
                    transport = LowerTransport.UDP;
                    break;
                case "--http-port":
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("--http-port needs a port number");
                    }
                    httpPort = port(args[++i], "--http-port");
                    break;
                default:
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    positional.add(a);
            }
        }
        if (positional.size() == 1) {
            return new ViewerArguments(positional.get(0), transport, httpPort, null);
        }
        if (positional.size() == 4) {
            String host = positional.get(0);
            int port = port(positional.get(1), "port");
            int rtpPort = port(positional.get(2), "rtp_port");
            String file = positional.get(3);
            String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
            // The client library binds its own even/odd RTP/RTCP port pair; it has no way to ask for one.
            String note = "rtp_port " + rtpPort + " is ignored: the viewer picks a free RTP/RTCP port pair itself";
            return new ViewerArguments("rtsp://" + hostPart + ":" + port + "/" + file, transport, httpPort, note);
        }
        throw new IllegalArgumentException(positional.isEmpty() ? "no URL given"
                : "expected one URL or four arguments (host port rtp_port file), got " + positional.size());
    }

    private static int port(String text, String what) {
        try {
            int p = Integer.parseInt(text);
            if (p > 0 && p < 65536) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " must be a port number 1-65535, not '" + text + "'");
    }
}
