package org.tributary.rtp.jpeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.Codec;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.sdp.SdpTrack;
import org.tributary.rtp.sdp.SdpWriter;

/**
 * FFmpeg, a real RTP/JPEG receiver, decodes what {@link JpegPayloadFormat} sends, described by the SDP that
 * {@link SdpWriter} writes, over UDP on loopback.
 */
class FfmpegInteropTest {

    private static final int FRAMES = 4;

    @TempDir
    Path dir;

    @Test
    void ffmpegDecodesFfmpegEncodedFramesSentAsRtpJpeg() throws Exception {
        List<byte[]> images = TestImages.ffmpeg(dir, "320x240", "yuvj420p", 3, "-huffman", "default");
        assertFfmpegShowsThePictures(images, 320, 240);
    }

    @Test
    void ffmpegDecodesImageIoFramesSentAsRtpJpeg() throws Exception {
        List<byte[]> images = new ArrayList<>();
        for (int seed = 0; seed < 3; seed++) {
            images.add(TestImages.imageIo(TestImages.picture(640, 480, seed), 0.9f, 0, false));
        }
        assertFfmpegShowsThePictures(images, 640, 480);
    }

    @Test
    void ffmpegDecodesFramesWithRestartIntervalsSentAsType65() throws Exception {
        List<byte[]> images = TestImages.ffmpeg(dir, "640x360", "yuvj420p", 3, "-huffman", "default", "-threads", "2",
                "-thread_type", "slice");
        assertTrue(Jfif.parse(ByteBuffer.wrap(images.get(0))).restartInterval() > 0);
        assertFfmpegShowsThePictures(images, 640, 360);
    }

    private void assertFfmpegShowsThePictures(List<byte[]> images, int width, int height) throws Exception {
        int port = LoopbackUdp.freePortPair();
        String sdp = SdpWriter.write("interop", "127.0.0.1", null,
                List.of(new SdpTrack(Codec.JPEG, 26, "trackID=0", width, height, 25, List.of())));
        // A file SDP names the port FFmpeg listens on; in an RTSP answer it is 0 and SETUP chooses it.
        sdp = sdp.replace("m=video 0 ", "m=video " + port + " ").replace("c=IN IP4 0.0.0.0", "c=IN IP4 127.0.0.1");
        Path sdpFile = Files.writeString(dir.resolve("stream.sdp"), sdp);
        Path log = dir.resolve("ffmpeg.log");
        Process ffmpeg = new ProcessBuilder(TestImages.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error",
                "-protocol_whitelist", "file,udp,rtp", "-buffer_size", "4000000", "-i", sdpFile.toString(),
                "-frames:v", Integer.toString(FRAMES), "-y", dir.resolve("out%d.png").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (DatagramSocket socket = new DatagramSocket()) {
            // UDP is the point here (RTP/JPEG as a UDP receiver reassembles it), so nothing may be lost on
            // loopback: the first packet goes out once FFmpeg has bound its port, each packet is paced, and
            // FFmpeg's socket buffer is large. A frame cut short would make FFmpeg report "Received packet
            // without a start chunk".
            LoopbackUdp.awaitBound(port, ffmpeg);
            RtpPacketizer packetizer = new RtpPacketizer(new JpegPayloadFormat(), 26, 0x5EED, 40000,
                    RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            // Frames until FFmpeg has written its pictures and ended; the deadline only bounds a hang.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; ffmpeg.isAlive() && System.nanoTime() < deadline; i++) {
                for (ByteBuffer packet : packetizer.packetize(TestImages.frame(images.get(i % images.size()), i),
                        1000 + i * 3600)) {
                    LoopbackUdp.sendPaced(socket, packet, target);
                }
                Thread.sleep(40);
            }
        } finally {
            if (!ffmpeg.waitFor(30, TimeUnit.SECONDS)) {
                ffmpeg.destroyForcibly().waitFor();
            }
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, ffmpeg.exitValue(), output);
        assertTrue(output.isBlank(), "ffmpeg reported errors: " + output);
        List<BufferedImage> originals = new ArrayList<>();
        for (byte[] image : images) {
            originals.add(TestImages.decode(image));
        }
        for (int n = 1; n <= FRAMES; n++) {
            BufferedImage shown = javax.imageio.ImageIO.read(dir.resolve("out" + n + ".png").toFile());
            assertEquals(width, shown.getWidth());
            assertEquals(height, shown.getHeight());
            double best = Double.MAX_VALUE;
            for (BufferedImage original : originals) {
                best = Math.min(best, TestImages.meanAbsoluteDifference(original, shown));
            }
            // FFmpeg and ImageIO differ in IDCT, chroma upsampling and colour conversion, not in content.
            assertTrue(best < 6, "frame " + n + " differs from every original by " + best);
        }
    }
}
