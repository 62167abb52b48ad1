package org.tributary.rtsp.client.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The TCP connection to an RTSP server: writes requests, and one reader thread that takes apart what comes
 * back: responses (matched to their request by CSeq), interleaved {@code $} frames (handed to the
 * {@link Handler}), and requests from the server (answered 501).
 *
 * <p>Thread-safe: requests and interleaved frames may be written from any thread; each is written whole.
 */
public final class RtspConnection implements Closeable {

    /** What the reader thread hands on. Called on the reader thread; must not block. */
    public interface Handler {
        /**
         * @param data the frame's bytes, valid only during the call (the buffer is reused)
         */
        void onInterleaved(int channel, ByteBuffer data);

        /** The connection ended; not called when {@link #close()} ended it. */
        void onClosed(IOException cause);
    }

    private static final int MAX_LINE = 8192;
    private static final int MAX_HEADERS = 100;
    private static final int MAX_BODY = 1 << 20;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final Map<Integer, CompletableFuture<RtspResponse>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger cseq = new AtomicInteger();
    private final Handler handler;
    private final Thread reader;
    private volatile boolean closed;

    private RtspConnection(Socket socket, Handler handler, String threadName) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 65536);
        this.out = socket.getOutputStream();
        this.handler = handler;
        this.reader = new Thread(this::readLoop, threadName);
        reader.setDaemon(true);
    }

    /** Connects and starts the reader thread. */
    public static RtspConnection open(String host, int port, Duration connectTimeout, Handler handler,
            String threadName) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), (int) Math.min(Integer.MAX_VALUE,
                    connectTimeout.toMillis()));
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new SocketTimeoutException("no answer from " + host + ":" + port + " within " + connectTimeout);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect to " + host + ":" + port + ": " + e.getMessage(), e);
        }
        RtspConnection connection = new RtspConnection(socket, handler, threadName);
        connection.reader.start();
        return connection;
    }

    public InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    public boolean isOpen() {
        return !closed && !socket.isClosed();
    }

    /**
     * Sends a request and returns its reply.
     *
     * @param headers extra headers in order; CSeq is added here
     * @throws IOException if the connection fails or no reply comes within the timeout
     */
    public RtspResponse exchange(String method, String uri, Map<String, String> headers, Duration timeout)
            throws IOException {
        CompletableFuture<RtspResponse> reply = send(method, uri, headers);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no reply to " + method + " " + uri + " within " + timeout);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? new IOException(io.getMessage(), io)
                    : new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the reply to " + method, e);
        } finally {
            reply.cancel(false);
        }
    }

    /** Sends a request; the future completes with its reply, or fails when the connection does. */
    public CompletableFuture<RtspResponse> send(String method, String uri, Map<String, String> headers) {
        int n = cseq.incrementAndGet();
        CompletableFuture<RtspResponse> reply = new CompletableFuture<>();
        reply.whenComplete((r, e) -> pending.remove(n));
        pending.put(n, reply);
        StringBuilder text = new StringBuilder(256);
        text.append(method).append(' ').append(uri).append(" RTSP/1.0\r\nCSeq: ").append(n).append("\r\n");
        headers.forEach((k, v) -> text.append(k).append(": ").append(v).append("\r\n"));
        text.append("\r\n");
        try {
            write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            reply.completeExceptionally(e);
        }
        if (closed) {
            reply.completeExceptionally(new IOException("connection closed"));
        }
        return reply;
    }

    /** Writes one interleaved frame ({@code $}, channel, length, data) in one piece. */
    public void sendInterleaved(int channel, ByteBuffer data) throws IOException {
        int length = data.remaining();
        byte[] frame = new byte[4 + length];
        frame[0] = '$';
        frame[1] = (byte) channel;
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        data.get(data.position(), frame, 4, length);
        write(frame);
    }

    private void write(byte[] bytes) throws IOException {
        synchronized (writeLock) {
            out.write(bytes);
            out.flush();
        }
    }

    /** Closes the socket and waits briefly for the reader thread to end. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
        failPending(new IOException("connection closed"));
        if (Thread.currentThread() != reader) {
            try {
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readLoop() {
        byte[] frame = new byte[65536];
        IOException cause = null;
        try {
            while (true) {
                int first = in.read();
                if (first < 0) {
                    throw new EOFException("the server closed the connection");
                }
                if (first == '$') {
                    int channel = readByte();
                    int length = (readByte() << 8) | readByte();
                    readFully(frame, length);
                    handler.onInterleaved(channel, ByteBuffer.wrap(frame, 0, length));
                } else if (first != '\r' && first != '\n') {
                    readMessage(first);
                }
            }
        } catch (IOException e) {
            cause = e;
        } catch (RuntimeException e) {
            cause = new IOException("failed reading from the server: " + e, e);
        }
        boolean wasClosed = closed;
        closed = true;
        try {
            socket.close();
        } catch (IOException ignored) {
            // already broken
        }
        failPending(cause);
        if (!wasClosed) {
            handler.onClosed(cause);
        }
    }

    private void readMessage(int first) throws IOException {
        String startLine = (char) first + readLine();
        Map<String, List<String>> headers = RtspResponse.newHeaders();
        int count = 0;
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            if (++count > MAX_HEADERS) {
                throw new IOException("more than " + MAX_HEADERS + " headers in a message from the server");
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                RtspResponse.add(headers, line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        byte[] body = new byte[0];
        List<String> lengths = headers.get("Content-Length");
        if (lengths != null) {
            int length;
            try {
                length = Integer.parseInt(lengths.get(0));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length from the server: " + lengths.get(0));
            }
            if (length < 0 || length > MAX_BODY) {
                throw new IOException("Content-Length " + length + " from the server is out of bounds");
            }
            body = new byte[length];
            readFully(body, length);
        }
        Integer n = cseqOf(headers);
        if (!startLine.startsWith("RTSP/")) {
            // The server asks us something (ANNOUNCE, GET_PARAMETER, REDIRECT...): say no, politely.
            write(("RTSP/1.0 501 Not Implemented\r\n" + (n == null ? "" : "CSeq: " + n + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        String[] parts = startLine.split(" ", 3);
        int status;
        try {
            status = Integer.parseInt(parts.length > 1 ? parts[1].strip() : "");
        } catch (NumberFormatException e) {
            throw new IOException("bad status line from the server: " + startLine);
        }
        RtspResponse response = new RtspResponse(status, parts.length > 2 ? parts[2].strip() : "", headers, body);
        CompletableFuture<RtspResponse> waiting = null;
        if (n != null) {
            waiting = pending.get(n);
        } else if (pending.size() == 1) {
            waiting = pending.values().iterator().next();
        }
        if (waiting != null) {
            waiting.complete(response);
        }
    }

    private static Integer cseqOf(Map<String, List<String>> headers) {
        List<String> values = headers.get("CSeq");
        if (values == null) {
            return null;
        }
        try {
            return Integer.parseInt(values.get(0).strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed the connection in the middle of a message");
            }
            if (b == '\n') {
                break;
            }
            if (line.size() >= MAX_LINE) {
                throw new IOException("a line from the server is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the server closed the connection in the middle of an interleaved frame");
        }
        return b;
    }

    private void readFully(byte[] into, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, done, length - done);
            if (n < 0) {
                throw new EOFException("the server closed the connection in the middle of a message");
            }
            done += n;
        }
    }

    private void failPending(IOException cause) {
        IOException e = cause != null ? cause : new IOException("connection closed");
        for (CompletableFuture<RtspResponse> f : pending.values()) {
            f.completeExceptionally(e);
        }
    }
}
