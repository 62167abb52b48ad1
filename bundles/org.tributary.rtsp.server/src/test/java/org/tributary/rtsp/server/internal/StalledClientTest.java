package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.api.Delivery;
import org.tributary.api.Frame;
import org.tributary.api.MediaInfo;
import org.tributary.api.Transport;
import org.tributary.transport.tcp.internal.TcpSettings;
import org.tributary.transport.tcp.internal.TcpTransport;

/**
 * Two clients play over interleaved TCP on a real port, with the real TCP transport; one stops reading. The
 * other must not notice, and the stalled one must be dropped after {@code stalledClientSeconds}, holding no
 * more of the server's memory meanwhile than its queue allows.
 */
class StalledClientTest {

    private static final int QUEUE_BYTES = 1024 * 1024;
    /** Long enough that a busy machine still offers the stalled client many megabytes before it is dropped. */
    private static final int STALLED_SECONDS = 4;
    private static final int STALLED_RECEIVE_BUFFER = 64 * 1024;
    /**
     * 50 frames a second of about 100 KB: a reader's socket buffers and the server's queue hold about a second
     * of it, so a reader that a busy machine leaves waiting for a moment still loses nothing.
     */
    private static final long FRAME_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    @Test
    void aClientThatStopsReadingIsDroppedAfterTheStallTimeWhileAReaderGetsEveryFrame() throws Exception {
        Fakes.FakeStreams streams = new Fakes.FakeStreams()
                .add("clip", MediaInfo.jpeg(480, 360, 50, Duration.ofHours(1)));
        TcpTransport tcp = new TcpTransport(TcpSettings.defaults());
        TransportRegistry transports = new TransportRegistry();
        transports.add(tcp, Map.of(Transport.PROFILE, "RTP/AVP/TCP"));
        RtspServer server = new RtspServer(RtspSettings.defaults(0).withInterleaved(QUEUE_BYTES, STALLED_SECONDS),
                streams, transports);
        List<byte[]> images = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            images.add(noise(480, 360, i));
        }
        int largest = images.stream().mapToInt(b -> b.length).max().orElseThrow();
        try (Client reader = new Client(0); Client stalled = new Client(STALLED_RECEIVE_BUFFER)) {
            int port = server.start();
            String readerId = reader.play(port);
            String stalledId = stalled.play(port);
            Delivery toReader = server.sessions().get(readerId).delivery();
            Delivery toStalled = server.sessions().get(stalledId).delivery();
            Thread reading = reader.readInBackground(0);

            long offeredToStalled = 0;
            long framesToReader = 0;
            long firstDrop = 0;
            long ended = 0;
            long heapEarly = 0;
            long heapLate = 0;
            long offeredEarly = 0;
            long offeredLate = 0;
            long next = System.nanoTime();
            for (long i = 0; ended == 0 && i < 3000; i++) {
                Frame frame = new Frame(Codec.JPEG, i, i * FRAME_NANOS, true,
                        ByteBuffer.wrap(images.get((int) (i % images.size()))));
                for (Fakes.FakePlayback playback : streams.playbacks) {
                    playback.deliver(frame);
                }
                framesToReader++;
                long now = System.nanoTime();
                if (server.sessions().get(stalledId) == null) {
                    ended = now;
                } else {
                    offeredToStalled += frame.data().remaining();
                }
                if (firstDrop == 0 && toStalled.stats().droppedFrames() > 0) {
                    firstDrop = now;
                }
                if (firstDrop != 0 && heapEarly == 0 && now - firstDrop > 300_000_000L) {
                    heapEarly = usedHeapAfterGc();
                    offeredEarly = offeredToStalled;
                }
                if (firstDrop != 0 && heapLate == 0
                        && now - firstDrop > TimeUnit.SECONDS.toNanos(STALLED_SECONDS) - 400_000_000L) {
                    heapLate = usedHeapAfterGc();
                    offeredLate = offeredToStalled;
                }
                next = pace(next);
            }
            // The reader goes on after the stalled client is gone.
            for (long i = 0; i < 50; i++, framesToReader++) {
                streams.playbacks.get(0).deliver(new Frame(Codec.JPEG, 10_000 + i, (10_000 + i) * FRAME_NANOS, true,
                        ByteBuffer.wrap(images.get(0))));
                next = pace(next);
            }

            assertTrue(firstDrop != 0, "the stalled client's queue filled and frames were dropped");
            assertTrue(ended != 0, "the stalled client was dropped");
            long stalledMillis = TimeUnit.NANOSECONDS.toMillis(ended - firstDrop);
            System.out.printf("frames of %d KB at most; stalled client dropped %d ms after its queue filled; %d MB"
                    + " offered to it, %d KB accepted for it, %d frames dropped; heap after GC %d MB then %d MB%n",
                    largest >> 10, stalledMillis,
                    offeredToStalled >> 20, toStalled.stats().bytes() >> 10, toStalled.stats().droppedFrames(),
                    heapEarly >> 20, heapLate >> 20);
            // Not dropped at once: the stall time runs from the queue filling, which this loop sees up to a frame
            // (or a busy moment) late. How much later than the stall time it is dropped depends on the machine;
            // the loop's 3000 paced frames (60 s or more) bound it.
            assertTrue(stalledMillis >= STALLED_SECONDS * 1000L - 1000,
                    "dropped " + stalledMillis + " ms after its queue filled, configured " + STALLED_SECONDS + " s");

            // What was taken for the stalled client fits the kernel's buffers plus the bounded queue, however
            // much was offered: the rest was dropped, not held.
            long accepted = toStalled.stats().bytes() + 4 * toStalled.stats().packets();
            long bound = kernelSendBufferMax() + 4L * STALLED_RECEIVE_BUFFER + QUEUE_BYTES + 2L * largest + 65536;
            assertTrue(offeredToStalled > 2 * bound, "the test offered " + offeredToStalled + " bytes, more than "
                    + "twice the bound " + bound);
            assertTrue(accepted <= bound, accepted + " bytes accepted for the stalled client, bound " + bound);
            long offeredBetween = offeredLate - offeredEarly;
            assertTrue(offeredBetween > 8L << 20, offeredBetween + " bytes offered between the heap samples");
            assertTrue(heapLate - heapEarly < offeredBetween / 4, "heap grew from " + heapEarly + " to " + heapLate
                    + " bytes while the stalled client was offered " + offeredBetween + " more");

            assertTrue(stalled.isDisconnected(), "the stalled client's connection is closed");
            assertNull(server.sessions().get(stalledId));
            assertNotNull(server.sessions().get(readerId), "the reader plays on");
            assertEquals(0, toReader.stats().droppedFrames(), "the reader lost nothing");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reader.rtpPackets.get() < toReader.stats().packets() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(toReader.stats().packets(), reader.rtpPackets.get(), "every packet sent reached the reader");
            assertEquals(framesToReader, reader.frames.get(), "every frame reached the reader");
            assertEquals(0, reader.sequenceGaps.get(), "in sequence, none missing");
            reader.socket.close();
            reading.join(30_000);
        } finally {
            server.close();
            tcp.close();
        }
    }

    /**
     * Waits for the next frame time; after a pause (a GC) it goes on from now rather than catching up in a
     * burst, which a queue sized for a few frames would rightly drop.
     */
    private static long pace(long previous) {
        long next = previous + FRAME_NANOS;
        long wait = next - System.nanoTime();
        if (wait <= 0) {
            return System.nanoTime();
        }
        LockSupport.parkNanos(wait);
        return next;
    }

    @Test
    void aSlowClientThatKeepsReadingKeepsItsSessionAndLosesOnlyWholeFrames() throws Exception {
        Fakes.FakeStreams streams = new Fakes.FakeStreams()
                .add("clip", MediaInfo.jpeg(480, 360, 50, Duration.ofHours(1)));
        TcpTransport tcp = new TcpTransport(TcpSettings.defaults());
        TransportRegistry transports = new TransportRegistry();
        transports.add(tcp, Map.of(Transport.PROFILE, "RTP/AVP/TCP"));
        RtspServer server = new RtspServer(RtspSettings.defaults(0).withInterleaved(QUEUE_BYTES, STALLED_SECONDS),
                streams, transports);
        byte[] image = noise(480, 360, 7);
        try (Client slow = new Client(STALLED_RECEIVE_BUFFER)) {
            String id = slow.play(server.start());
            Delivery delivery = server.sessions().get(id).delivery();
            // About 2.5 MB/s against 5 MB/s offered: far too slow for the stream, yet never stalled. The server
            // sees progress only when the kernel takes more from it, which after a full send buffer (up to
            // 4 MB here) waits until about a third of it has gone: this rate frees that well within the stall time.
            Thread reading = slow.readInBackground(256 * 1024);
            long next = System.nanoTime();
            long frames = 0;
            for (long end = next + TimeUnit.SECONDS.toNanos(STALLED_SECONDS + 2L); next < end; frames++) {
                streams.playbacks.get(0).deliver(new Frame(Codec.JPEG, frames, frames * FRAME_NANOS, true,
                        ByteBuffer.wrap(image)));
                next = pace(next);
            }

            assertNotNull(server.sessions().get(id), "a client that reads, however slowly, keeps its session");
            long dropped = delivery.stats().droppedFrames();
            System.out.printf("slow client: %d of %d frames dropped, %d received%n", dropped, frames,
                    slow.frames.get());
            assertTrue(dropped > 0, dropped + " of " + frames + " frames dropped");
            assertTrue(slow.frames.get() > 0);
            assertTrue(slow.sequenceGaps.get() > 0, "frames were skipped");
            assertEquals(0, slow.gapsInsideFrames.get(), "only whole frames were skipped");
            slow.socket.close();
            reading.join(30_000);
        } finally {
            server.close();
            tcp.close();
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The most a TCP socket's send buffer may grow to (Linux autotuning), 4 MB where unknown. */
    private static long kernelSendBufferMax() throws IOException {
        Path wmem = Path.of("/proc/sys/net/ipv4/tcp_wmem");
        if (Files.isReadable(wmem)) {
            String[] values = Files.readAllLines(wmem).get(0).trim().split("\\s+");
            return Long.parseLong(values[2]);
        }
        return 4L << 20;
    }

    /** A baseline JPEG of random pixels: large, as real pictures are, and cheap to make. */
    private static byte[] noise(int width, int height, long seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    /** An RTSP client on a plain socket, speaking just enough to play over interleaved TCP. */
    private static final class Client implements AutoCloseable {
        final Socket socket = new Socket();
        final AtomicLong rtpPackets = new AtomicLong();
        final AtomicLong frames = new AtomicLong();
        final AtomicLong sequenceGaps = new AtomicLong();
        final AtomicLong gapsInsideFrames = new AtomicLong();
        private DataInputStream in;
        private int cseq;

        /** @param receiveBuffer SO_RCVBUF, 0 for the system's */
        Client(int receiveBuffer) throws SocketException {
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
        }

        /** SETUP over RTP/AVP/TCP and PLAY; the session id. */
        String play(int port) throws IOException {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 30_000);
            socket.setSoTimeout(30_000);
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65536));
            String url = "rtsp://127.0.0.1:" + port + "/clip";
            String setup = request("SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: " + ++cseq
                    + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
            assertTrue(setup.startsWith("RTSP/1.0 200") && setup.contains("Transport: RTP/AVP/TCP;unicast;interleaved=0-1;"),
                    setup);
            String id = setup.replaceAll("(?s).*\r\nSession: ([0-9A-F]+).*", "$1");
            String play = request("PLAY " + url + "/ RTSP/1.0\r\nCSeq: " + ++cseq + "\r\nSession: " + id + "\r\n\r\n");
            assertTrue(play.startsWith("RTSP/1.0 200"), play);
            return id;
        }

        /** Sends a request and reads its reply, passing over interleaved packets before it. */
        private String request(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            while (true) {
                int first = in.readUnsignedByte();
                if (first == '$') {
                    in.readUnsignedByte();
                    in.skipNBytes(in.readUnsignedShort());
                    continue;
                }
                StringBuilder reply = new StringBuilder().append((char) first);
                while (reply.indexOf("\r\n\r\n") < 0) {
                    reply.append((char) in.readUnsignedByte());
                }
                return reply.toString();
            }
        }

        /**
         * Reads every interleaved packet until the socket closes, counting RTP packets, frames and gaps.
         *
         * @param bytesPerTenth at most this many bytes read every 100 ms; 0 for as fast as they come
         */
        Thread readInBackground(int bytesPerTenth) {
            Thread thread = new Thread(() -> {
                int expected = -1;
                boolean frameEnded = true;
                long readSinceSleep = 0;
                byte[] packet = new byte[65536];
                try {
                    socket.setSoTimeout(0);
                    while (true) {
                        if (bytesPerTenth > 0 && readSinceSleep >= bytesPerTenth) {
                            Thread.sleep(100);
                            readSinceSleep = 0;
                        }
                        if (in.readUnsignedByte() != '$') {
                            throw new IOException("not an interleaved frame");
                        }
                        int channel = in.readUnsignedByte();
                        int length = in.readUnsignedShort();
                        in.readFully(packet, 0, length);
                        readSinceSleep += 4 + length;
                        if (channel != 0) {
                            continue;
                        }
                        int sequence = (packet[2] & 0xFF) << 8 | packet[3] & 0xFF;
                        if (expected >= 0 && sequence != expected) {
                            sequenceGaps.incrementAndGet();
                            if (!frameEnded) {
                                gapsInsideFrames.incrementAndGet();
                            }
                        }
                        expected = (sequence + 1) & 0xFFFF;
                        rtpPackets.incrementAndGet();
                        frameEnded = (packet[1] & 0x80) != 0;
                        if (frameEnded) {
                            frames.incrementAndGet();
                        }
                    }
                } catch (IOException | InterruptedException e) {
                    // The socket closed: the test is over.
                }
            }, "test-rtsp-reader");
            thread.setDaemon(true);
            thread.start();
            return thread;
        }

        /** Whether the server closed the connection: reading ends, by end of stream or reset. */
        boolean isDisconnected() throws IOException {
            socket.setSoTimeout(30_000);
            try {
                while (in.read() >= 0) {
                    in.skipNBytes(Math.max(0, in.available()));
                }
                return true;
            } catch (EOFException | SocketException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
