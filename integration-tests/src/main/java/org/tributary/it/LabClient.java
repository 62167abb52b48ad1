package org.tributary.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Speaks exactly as the classic RTSP lab client ({@code Client.py}) does: requests with {@code \n} line ends
 * and no blank line, the bare file name as URI, {@code Transport: RTP/UDP; client_port= N}; replies read by
 * line position ({@code lines[1]} CSeq, {@code lines[2]} Session as an integer); RTP read with
 * {@code recv(20480)}, the payload after the 12-byte header taken as one whole JPEG and its sequence number as
 * the frame number.
 */
public final class LabClient implements AutoCloseable {

    /** A parsed reply as the lab client sees it. */
    public record Reply(int status, int cseq, long session, String raw) {
    }

    /** A frame as the lab client sees it: its number and the JPEG bytes. */
    public record LabFrame(int frameNumber, byte[] jpeg, long receivedNanos) {
    }

    private final Socket rtsp;
    private final DatagramSocket rtp;
    private final String fileName;
    private int cseq;
    private long sessionId;

    public LabClient(String host, int port, String fileName) throws IOException {
        this.rtsp = new Socket(host, port);
        this.rtsp.setSoTimeout(30_000); // bounds a hang only
        this.rtp = new DatagramSocket(0);
        // The server sends whole frames at 25 fps; a buffer of seconds of them (as far as net.core.rmem_max
        // allows) means the kernel drops none while the test waits for the CPU.
        this.rtp.setReceiveBufferSize(4 * 1024 * 1024);
        this.fileName = fileName;
    }

    public int rtpPort() {
        return rtp.getLocalPort();
    }

    public Reply setup() throws IOException {
        return send("SETUP " + fileName + " RTSP/1.0\nCSeq: " + (++cseq) + "\nTransport: RTP/UDP; client_port= "
                + rtp.getLocalPort());
    }

    public Reply play() throws IOException {
        return send("PLAY " + fileName + " RTSP/1.0\nCSeq: " + (++cseq) + "\nSession: " + sessionId);
    }

    public Reply pause() throws IOException {
        return send("PAUSE " + fileName + " RTSP/1.0\nCSeq: " + (++cseq) + "\nSession: " + sessionId);
    }

    public Reply teardown() throws IOException {
        return send("TEARDOWN " + fileName + " RTSP/1.0\nCSeq: " + (++cseq) + "\nSession: " + sessionId);
    }

    private Reply send(String request) throws IOException {
        OutputStream out = rtsp.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        // Client.py reads one recv(1024) and splits it on '\n'.
        byte[] buf = new byte[1024];
        InputStream in = rtsp.getInputStream();
        int n = in.read(buf);
        if (n <= 0) {
            throw new IOException("connection closed instead of a reply to: " + request.lines().findFirst().orElse(""));
        }
        String data = new String(buf, 0, n, StandardCharsets.UTF_8);
        String[] lines = data.split("\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int seq = Integer.parseInt(lines[1].split(" ")[1].trim());
        long session = Long.parseLong(lines[2].split(" ")[1].trim());
        if (sessionId == 0) {
            sessionId = session;
        }
        return new Reply(status, seq, session, data);
    }

    /**
     * Receives datagrams until {@code count} frames came, or fewer if the timeout passes first (the timeout
     * bounds a hang only).
     */
    public List<LabFrame> receive(int count, Duration timeout) throws IOException {
        List<LabFrame> frames = new ArrayList<>();
        long end = System.nanoTime() + timeout.toNanos();
        while (frames.size() < count) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            List<LabFrame> one = receiveOne(left);
            frames.addAll(one);
        }
        return frames;
    }

    private List<LabFrame> receiveOne(long timeoutMillis) throws IOException {
        byte[] buf = new byte[20480];
        rtp.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutMillis)));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            rtp.receive(p);
        } catch (SocketTimeoutException e) {
            return List.of();
        }
        if (p.getLength() < 12) {
            return List.of();
        }
        int seq = ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
        return List.of(new LabFrame(seq, Arrays.copyOfRange(buf, 12, p.getLength()), System.nanoTime()));
    }

    /** Receives datagrams until {@code durationMillis} passes, as {@code listenRtp} does. */
    public List<LabFrame> receive(long durationMillis) throws IOException {
        List<LabFrame> frames = new ArrayList<>();
        long end = System.nanoTime() + durationMillis * 1_000_000L;
        byte[] buf = new byte[20480];
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return frames;
            }
            rtp.setSoTimeout((int) Math.max(1, left));
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                rtp.receive(p);
            } catch (SocketTimeoutException e) {
                return frames;
            }
            if (p.getLength() < 12) {
                continue;
            }
            int seq = ((buf[2] & 0xFF) << 8) | (buf[3] & 0xFF);
            frames.add(new LabFrame(seq, Arrays.copyOfRange(buf, 12, p.getLength()), System.nanoTime()));
        }
    }

    @Override
    public void close() throws IOException {
        rtp.close();
        rtsp.close();
    }
}
