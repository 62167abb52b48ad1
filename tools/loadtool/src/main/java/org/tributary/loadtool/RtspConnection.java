package org.tributary.loadtool;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One RTSP 1.0 control connection: blocking request/response with CSeq, headers and a Content-Length body.
 * Interleaved {@code $} frames the server may send between responses are skipped.
 *
 * <p>Thread-safe: {@link #request} is synchronized, so a keepalive and a TEARDOWN never interleave.
 */
final class RtspConnection implements AutoCloseable {

    private static final int MAX_LINE = 8192;
    private static final int MAX_BODY = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int cseq;

    /** A parsed response; header names are lower case. */
    record Response(int status, String reason, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    RtspConnection(URI url, int timeoutMillis) throws IOException {
        int port = url.getPort() < 0 ? 554 : url.getPort();
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(timeoutMillis);
        socket.connect(new InetSocketAddress(url.getHost(), port), timeoutMillis);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** The local address the server sees this client at; the RTP ports are bound on it. */
    InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    /**
     * Sends a request and reads its response.
     *
     * @param headers extra headers, in order; CSeq is added
     * @throws IOException on a network error, a malformed response or a CSeq mismatch
     */
    synchronized Response request(String method, String url, Map<String, String> headers) throws IOException {
        int sequence = ++cseq;
        StringBuilder request = new StringBuilder(256);
        request.append(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        request.append("CSeq: ").append(sequence).append("\r\n");
        request.append("User-Agent: tributary-loadtool\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Response response = readResponse();
        String echoed = response.header("cseq");
        if (echoed != null && !echoed.strip().equals(Integer.toString(sequence))) {
            throw new IOException(method + " " + url + ": response CSeq " + echoed + ", expected " + sequence);
        }
        return response;
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        while (statusLine.isEmpty()) {
            statusLine = readLine();
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("RTSP/")) {
            throw new IOException("not an RTSP response: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad RTSP status line: " + statusLine, e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        String body = "";
        String length = headers.get("content-length");
        if (length != null) {
            int n;
            try {
                n = Integer.parseInt(length.strip());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + length, e);
            }
            if (n < 0 || n > MAX_BODY) {
                throw new IOException("Content-Length out of range: " + n);
            }
            body = new String(in.readNBytes(n), StandardCharsets.UTF_8);
        }
        return new Response(status, parts.length > 2 ? parts[2] : "", headers, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("RTSP connection closed by the server");
            }
            if (b == '$' && line.size() == 0) {
                skipInterleaved();
                continue;
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("RTSP line longer than " + MAX_LINE + " bytes");
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private void skipInterleaved() throws IOException {
        int channel = in.read();
        int high = in.read();
        int low = in.read();
        if ((channel | high | low) < 0) {
            throw new EOFException("RTSP connection closed inside an interleaved frame");
        }
        in.skipNBytes((high << 8) | low);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort: the session is over either way.
        }
    }
}
