package org.tributary.benchmarks;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tributary.api.Frame;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.jpeg.JpegException;
import org.tributary.rtp.jpeg.JpegPayloadFormat;
import org.tributary.rtp.jpeg.Jfif;
import org.tributary.rtp.jpeg.RawJpegPayloadFormat;

/**
 * Cost of turning JPEG frames into RTP packets, per resolution: the RFC 2435 packetizer with 1400-byte
 * packets as the server sends them, {@link Jfif#parse} alone (its share of that cost), and the lab client's
 * raw format (one whole image per packet).
 *
 * <p>The primary score is frames per second. The secondary {@code :megabytes} score is JPEG input
 * throughput in MB/s (10^6 bytes of frame data per second), the figure to compare across resolutions.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JpegPacketizerBenchmark {

    /** Distinct pictures cycled through, so one frame's layout cannot flatter the branch predictor. */
    private static final int PICTURES = 8;

    /** The frames of one resolution, shared read-only by all benchmark threads. */
    @State(Scope.Benchmark)
    public static class Frames {
        @Param({"320x240", "640x480", "1280x720"})
        public String resolution;

        Frame[] frames;

        @Setup(Level.Trial)
        public void encode() throws JpegException {
            frames = TestImages.jpegFrames(resolution, PICTURES);
            Jfif jfif = Jfif.parse(frames[0].data());
            if (!jfif.rfc2435Compatible() || jfif.type() != 1) {
                throw new IllegalStateException("test frames are not RFC 2435 4:2:0 (type " + jfif.type() + "): "
                        + jfif.incompatibility());
            }
            System.out.printf("%n%s: %d frames, mean %.0f bytes%n", resolution, frames.length,
                    TestImages.meanSize(frames));
        }
    }

    /**
     * One thread's packetizers and its place in the frame cycle; packetizers are not thread-safe. Also the
     * MB/s counter: JMH divides it by the iteration's time, as it does operations.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Sender {
        /** Megabytes (10^6 bytes) of JPEG input processed in the current iteration. */
        public double megabytes;

        RtpPacketizer rfc2435;
        RtpPacketizer raw;
        int next;
        int rtpTimestamp;

        @Setup(Level.Trial)
        public void create() {
            rfc2435 = new RtpPacketizer(new JpegPayloadFormat(), 26, 0x1234_5678, 0, RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            // The lab format sends each frame whole; allow the largest frame of any resolution so all measure the same work.
            raw = new RtpPacketizer(new RawJpegPayloadFormat(), 26, 0x1234_5678, 0, 1 << 20);
        }

        @Setup(Level.Iteration)
        public void reset() {
            megabytes = 0;
        }

        Frame take(Frames frames) {
            Frame frame = frames.frames[next];
            next = (next + 1) % frames.frames.length;
            rtpTimestamp += 3600;
            megabytes += frame.size() / 1e6;
            return frame;
        }
    }

    /** RFC 2435 packets of 1400 bytes, RTP header included: parse, fragment, copy, write headers. */
    @Benchmark
    public List<ByteBuffer> packetizeRfc2435(Frames frames, Sender sender) throws RtpException {
        return sender.rfc2435.packetize(sender.take(frames), sender.rtpTimestamp);
    }

    /** The JFIF marker walk alone: what {@link #packetizeRfc2435} spends before copying any scan data. */
    @Benchmark
    public Jfif parseJfif(Frames frames, Sender sender) throws JpegException {
        return Jfif.parse(sender.take(frames).data());
    }

    /** The lab client's format: the whole image copied behind one RTP header. */
    @Benchmark
    public List<ByteBuffer> packetizeRaw(Frames frames, Sender sender) throws RtpException {
        return sender.raw.packetize(sender.take(frames), sender.rtpTimestamp);
    }
}
