package org.tributary.benchmarks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.H264PayloadFormat;

/**
 * Cost of turning H.264 access units into RTP packets (RFC 6184, 1400-byte packets, FU-A for large NAL units) on
 * a 720p High profile stream with camera-like noise: microseconds per IDR picture and per P picture.
 *
 * <p>The clip (3 s at 30 fps, an IDR every 30 pictures) is encoded at setup by x264 through FFmpeg
 * ({@code /usr/bin/ffmpeg}); setup prints the IDR and mean P picture sizes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class H264PacketizerBenchmark {

    /** The clip's IDR and P pictures, and one thread's packetizer (packetizers are not thread-safe). */
    @State(Scope.Thread)
    public static class Clip {
        Frame[] idrs;
        Frame[] predicted;
        RtpPacketizer packetizer;
        int nextIdr;
        int nextPredicted;

        @Setup(Level.Trial)
        public void encode() throws IOException, InterruptedException {
            Path file = Files.createTempFile("tributary-h264-", ".h264");
            try {
                Process ffmpeg = new ProcessBuilder("/usr/bin/ffmpeg", "-hide_banner", "-loglevel", "error",
                        "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "3", "-vf",
                        "noise=alls=12:allf=u", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast",
                        "-profile:v", "high", "-g", "30", "-crf", "18", "-bsf:v", "h264_mp4toannexb", "-f", "h264",
                        file.toString()).inheritIO().start();
                if (ffmpeg.waitFor() != 0) {
                    throw new IllegalStateException("ffmpeg could not encode the 720p clip (exit "
                            + ffmpeg.exitValue() + ")");
                }
                List<Frame> idr = new ArrayList<>();
                List<Frame> p = new ArrayList<>();
                int n = 0;
                for (ByteBuffer au : AnnexB.accessUnits(ByteBuffer.wrap(Files.readAllBytes(file)))) {
                    boolean key = AnnexB.containsIdr(au);
                    Frame frame = new Frame(Codec.H264, n, n * 1_000_000_000L / 30, key, au);
                    n++;
                    (key ? idr : p).add(frame);
                }
                idrs = idr.toArray(Frame[]::new);
                predicted = p.toArray(Frame[]::new);
            } finally {
                Files.deleteIfExists(file);
            }
            packetizer = new RtpPacketizer(new H264PayloadFormat(), 96, 1, 0, RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            System.out.printf("%n720p clip: %d IDR pictures of %.0f kB mean, %d P pictures of %.1f kB mean%n",
                    idrs.length, meanKilobytes(idrs), predicted.length, meanKilobytes(predicted));
        }

        private static double meanKilobytes(Frame[] frames) {
            long sum = 0;
            for (Frame f : frames) {
                sum += f.size();
            }
            return sum / 1024.0 / frames.length;
        }
    }

    /** One IDR picture (a few hundred kB) into packets: NAL unit scan, FU-A fragments, RTP headers. */
    @Benchmark
    public List<ByteBuffer> packetizeIdr(Clip clip) throws RtpException {
        Frame frame = clip.idrs[clip.nextIdr];
        clip.nextIdr = (clip.nextIdr + 1) % clip.idrs.length;
        return clip.packetizer.packetize(frame, (int) frame.timestampAt(90_000));
    }

    /** One P picture into packets. */
    @Benchmark
    public List<ByteBuffer> packetizePredicted(Clip clip) throws RtpException {
        Frame frame = clip.predicted[clip.nextPredicted];
        clip.nextPredicted = (clip.nextPredicted + 1) % clip.predicted.length;
        return clip.packetizer.packetize(frame, (int) frame.timestampAt(90_000));
    }
}
