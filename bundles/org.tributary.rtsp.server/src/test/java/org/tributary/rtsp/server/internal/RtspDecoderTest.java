package org.tributary.rtsp.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

class RtspDecoderTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new RtspDecoder(512, 8, 1024, 150));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void feed(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void crlfRequestWithBodyIsOneRequest() {
        feed("SET_PARAMETER rtsp://h/x RTSP/1.0\r\nCSeq: 7\r\ncontent-length: 5\r\n\r\nab");
        assertNull(channel.readInbound(), "body not complete yet");
        feed("cde");
        RtspRequest r = channel.readInbound();
        assertEquals("SET_PARAMETER", r.method());
        assertEquals("rtsp://h/x", r.uri());
        assertEquals("7", r.cseq());
        assertEquals("5", r.header("Content-Length"));
        assertArrayEquals("abcde".getBytes(StandardCharsets.US_ASCII), r.body());
        assertFalse(r.bareLineFeeds());
    }

    @Test
    void bareLineFeedRequestWithBlankLineIsOneRequest() {
        feed("OPTIONS * RTSP/1.0\nCSeq: 1\nUser-Agent: x\n\n");
        RtspRequest r = channel.readInbound();
        assertEquals("OPTIONS", r.method());
        assertEquals("*", r.uri());
        assertEquals("x", r.header("user-agent"));
        assertTrue(r.bareLineFeeds());
    }

    @Test
    void interleavedPacketIsNeverReadAsRequest() {
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeBytes(new byte[] {'$', 1, 0, 4, 'O', 'P', 'T', ' '});
        bytes.writeCharSequence("OPTIONS * RTSP/1.0\r\nCSeq: 2\r\n\r\n", StandardCharsets.US_ASCII);
        bytes.writeBytes(new byte[] {'$', 3, 0, 0});
        channel.writeInbound(bytes);
        InterleavedFrame first = channel.readInbound();
        assertEquals(1, first.channel());
        assertEquals("OPT ", first.content().toString(StandardCharsets.US_ASCII));
        first.release();
        RtspRequest request = channel.readInbound();
        assertEquals("2", request.cseq());
        InterleavedFrame empty = channel.readInbound();
        assertEquals(3, empty.channel());
        assertEquals(0, empty.content().readableBytes());
        empty.release();
    }

    @Test
    void interleavedPacketSplitAcrossReadsWaitsForItsLength() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'$', 0, 0, 3, 9}));
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {8, 7}));
        InterleavedFrame frame = channel.readInbound();
        assertEquals(3, frame.content().readableBytes());
        frame.release();
    }

    @Test
    void labRequestWithoutBlankLineCompletesAfterIdleGap() {
        feed("SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000");
        assertNull(channel.readInbound());
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readInbound(), "not before the idle gap");
        channel.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        RtspRequest r = channel.readInbound();
        assertEquals("SETUP", r.method());
        assertEquals("movie.Mjpeg", r.uri());
        assertEquals("RTP/UDP; client_port= 25000", r.header("Transport"));
        assertTrue(r.bareUri());
    }

    @Test
    void labRequestWaitsWhileBytesKeepArriving() {
        feed("PLAY movie.Mjpeg RTSP/1.0\nCSeq: 2\n");
        channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        feed("Session: 123456");
        channel.advanceTimeBy(60, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readInbound(), "the gap restarts with new bytes");
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        RtspRequest r = channel.readInbound();
        assertEquals("123456", r.sessionId());
    }

    @Test
    void crlfRequestWithoutBlankLineIsNotCompletedByIdleGap() {
        feed("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n");
        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertNull(channel.readInbound());
    }

    @Test
    void oversizeRequestIsMalformedAndTheRestDiscarded() {
        feed("DESCRIBE rtsp://h/x RTSP/1.0\r\nCSeq: 9\r\nX: " + "a".repeat(600));
        MalformedRequest m = channel.readInbound();
        assertEquals("9", m.cseq());
        assertTrue(m.close());
        feed("OPTIONS * RTSP/1.0\r\nCSeq: 10\r\n\r\n");
        assertNull(channel.readInbound(), "framing is lost after an unbounded request");
    }

    @Test
    void tooManyHeadersIsMalformedButTheConnectionStaysUsable() {
        StringBuilder s = new StringBuilder("OPTIONS * RTSP/1.0\r\nCSeq: 3\r\n");
        for (int i = 0; i < 10; i++) {
            s.append("X-").append(i).append(": y\r\n");
        }
        feed(s.append("\r\nOPTIONS * RTSP/1.0\r\nCSeq: 4\r\n\r\n").toString());
        MalformedRequest m = channel.readInbound();
        assertEquals("3", m.cseq());
        assertFalse(m.close());
        RtspRequest next = channel.readInbound();
        assertEquals("4", next.cseq());
    }

    @Test
    void bodyTooLargeIsSkippedAndTheNextRequestRead() {
        feed("SET_PARAMETER * RTSP/1.0\r\nCSeq: 5\r\nContent-Length: 2000\r\n\r\n" + "b".repeat(1500));
        MalformedRequest m = channel.readInbound();
        assertFalse(m.close());
        feed("b".repeat(500) + "GET_PARAMETER * RTSP/1.0\r\nCSeq: 6\r\n\r\n");
        RtspRequest next = channel.readInbound();
        assertEquals("GET_PARAMETER", next.method());
    }

    @Test
    void badRequestLineIsMalformedWithItsCseq() {
        feed("HELLO\r\nCSeq: 12\r\n\r\nOPTIONS * RTSP/1.0\r\nCSeq: 13\r\n\r\n");
        MalformedRequest m = channel.readInbound();
        assertEquals("12", m.cseq());
        assertFalse(m.close());
        assertEquals("13", ((RtspRequest) channel.readInbound()).cseq());
    }

    @Test
    void badContentLengthLosesTheFraming() {
        feed("SET_PARAMETER * RTSP/1.0\r\nCSeq: 5\r\nContent-Length: -4\r\n\r\n");
        MalformedRequest m = channel.readInbound();
        assertTrue(m.close());
    }

    @Test
    void randomAndMutatedInputsNeverThrowOrHang() {
        String[] seeds = {
            "OPTIONS rtsp://127.0.0.1:8554/x RTSP/1.0\r\nCSeq: 1\r\n\r\n",
            "SETUP movie.Mjpeg RTSP/1.0\nCSeq: 1\nTransport: RTP/UDP; client_port= 25000",
            "SET_PARAMETER * RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 4\r\n\r\nabcd",
            "$\u0000\u0000\u0004abcd",
        };
        Random random = new Random(20260101);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (int round = 0; round < 3000 && System.nanoTime() < deadline; round++) {
            byte[] input;
            if (round % 3 == 0) {
                input = new byte[random.nextInt(2048)];
                random.nextBytes(input);
            } else {
                input = seeds[random.nextInt(seeds.length)].repeat(1 + random.nextInt(3)).getBytes(StandardCharsets.ISO_8859_1);
                for (int m = random.nextInt(8); m >= 0; m--) {
                    int at = random.nextInt(input.length);
                    input[at] = (byte) switch (random.nextInt(5)) {
                        case 0 -> '\n';
                        case 1 -> '$';
                        case 2 -> ':';
                        case 3 -> '0' + random.nextInt(10);
                        default -> random.nextInt(256);
                    };
                }
            }
            EmbeddedChannel ch = new EmbeddedChannel(new RtspDecoder(512, 8, 1024, 150));
            int at = 0;
            while (at < input.length) {
                int n = Math.min(input.length - at, 1 + random.nextInt(64));
                ch.writeInbound(Unpooled.wrappedBuffer(input, at, n));
                at += n;
            }
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
                assertTrue(o instanceof RtspRequest || o instanceof MalformedRequest || o instanceof InterleavedFrame,
                        o.getClass().toString());
                ReferenceCountUtil.release(o);
            }
            ch.checkException();
            ch.finishAndReleaseAll();
        }
    }

    @Test
    void malformedRequestFromLabClientIsMarkedLab() {
        feed("PLAY movie.Mjpeg\nCSeq: 3\n\n");
        MalformedRequest m = assertInstanceOf(MalformedRequest.class, channel.readInbound());
        assertTrue(m.lab());
        assertEquals("3", m.cseq());
    }
}
