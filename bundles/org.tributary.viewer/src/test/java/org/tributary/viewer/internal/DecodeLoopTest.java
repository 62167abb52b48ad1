package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.rtsp.client.ReceivedFrame;

/** The decode queue: a slow decoder makes the loop drop and count frames, never block the receiver. */
class DecodeLoopTest {

    private final List<Integer> shown = new CopyOnWriteArrayList<>();
    private final DecodeLoop.Sink sink = new DecodeLoop.Sink() {
        @Override
        public void picture(BufferedImage picture, ReceivedFrame frame) {
            shown.add((int) frame.rtpTimestamp());
        }

        @Override
        public void ended(String reason) {
        }

        @Override
        public void error(Exception error) {
        }
    };

    /** Holds the first frame until the test opens the gate, so the test decides when decoding catches up. */
    private static final class GatedDecoder implements FrameDecoder {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);

        @Override
        public BufferedImage decode(ByteBuffer frame) throws java.io.IOException {
            started.countDown();
            try {
                gate.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        }

        @Override
        public String name() {
            return "gated";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void jpegKeepsTheNewestFramesAndCountsTheOthers() throws Exception {
        GatedDecoder decoder = new GatedDecoder();
        try (DecodeLoop loop = new DecodeLoop("tributary-viewer-decode-test", 2, c -> decoder, sink)) {
            loop.onFrame(jpeg(0));
            assertTrue(decoder.started.await(60, TimeUnit.SECONDS));
            for (int i = 1; i <= 10; i++) {
                loop.onFrame(jpeg(i)); // returns at once although the decoder is stuck
            }
            decoder.gate.countDown();
            PlayerControllerTest.waitFor(() -> shown.size() == 3, 60_000);

            assertEquals(List.of(0, 9, 10), shown);
            assertEquals(8, loop.dropped());
            assertEquals(3, loop.decoded());
        }
    }

    @Test
    void h264DropsUpToTheNextIdrBecauseAPictureWithoutItsReferencesIsGarbage() throws Exception {
        GatedDecoder decoder = new GatedDecoder();
        try (DecodeLoop loop = new DecodeLoop("tributary-viewer-decode-test", 2, c -> decoder, sink)) {
            loop.onFrame(h264(0, true));
            assertTrue(decoder.started.await(60, TimeUnit.SECONDS));
            loop.onFrame(h264(1, false));
            loop.onFrame(h264(2, false));
            loop.onFrame(h264(3, false)); // queue full: 1, 2 and 3 go, and so does all up to the IDR
            loop.onFrame(h264(4, false));
            loop.onFrame(h264(5, true));
            loop.onFrame(h264(6, false));
            decoder.gate.countDown();
            PlayerControllerTest.waitFor(() -> shown.size() == 3, 60_000);

            assertEquals(List.of(0, 5, 6), shown);
            assertEquals(4, loop.dropped());
        }
    }

    @Test
    void closeEndsTheThread() throws Exception {
        DecodeLoop loop = new DecodeLoop("tributary-viewer-decode-test", 2, c -> new ImageIoJpegDecoder(), sink);
        loop.close();
        assertEquals(List.of(), PlayerControllerTest.threads());
    }

    private static ReceivedFrame jpeg(int n) {
        return new ReceivedFrame(Codec.JPEG, 0, n, n * 40_000_000L, System.nanoTime(), ByteBuffer.allocate(10));
    }

    private static ReceivedFrame h264(int n, boolean idr) {
        byte[] au = {0, 0, 0, 1, (byte) (idr ? 0x65 : 0x41), (byte) 0x88, 0x10, 0x20};
        return new ReceivedFrame(Codec.H264, 0, n, n * 40_000_000L, System.nanoTime(), ByteBuffer.wrap(au));
    }
}
