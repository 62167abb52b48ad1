package org.tributary.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
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
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.Rtcp;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.jpeg.LoopbackUdp;
import org.tributary.rtp.jpeg.TestImages;
import org.tributary.rtp.sdp.SdpTrack;
import org.tributary.rtp.sdp.SdpWriter;

/**
 * FFmpeg, a real RTP/H.264 receiver, decodes what {@link H264PayloadFormat} sends over UDP on loopback,
 * described by the SDP {@link SdpWriter} writes from the clip's parameter sets, into exactly the pictures it
 * decodes from the clip's file.
 */
class FfmpegH264InteropTest {

    private static final int SSRC = 0x264;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestClips.class)
    void ffmpegDecodesEveryPictureSentAsRtpH264LikeTheFile(TestClips clip) throws Exception {
        List<String> expected = pictureHashes(List.of("-i", clip.file().toString()));
        List<ByteBuffer> parameterSets = AnnexB.parameterSets(ByteBuffer.wrap(clip.bytes()));
        SequenceParameterSet sps = SequenceParameterSet.parse(parameterSets.get(0));
        int port = LoopbackUdp.freePortPair();
        String sdp = SdpWriter.write("interop", "127.0.0.1", null, List.of(new SdpTrack(Codec.H264, 96, "trackID=0",
                sps.width(), sps.height(), 30, parameterSets)));
        // A file SDP names the port FFmpeg listens on; in an RTSP answer it is 0 and SETUP chooses it.
        sdp = sdp.replace("m=video 0 ", "m=video " + port + " ").replace("c=IN IP4 0.0.0.0", "c=IN IP4 127.0.0.1");
        Path sdpFile = Files.writeString(dir.resolve("stream.sdp"), sdp);
        Path hashes = dir.resolve("received.md5");
        Path log = dir.resolve("ffmpeg.log");
        Process ffmpeg = new ProcessBuilder(TestImages.FFMPEG, "-hide_banner", "-nostdin", "-loglevel", "error",
                "-protocol_whitelist", "file,udp,rtp", "-buffer_size", "4000000", "-i", sdpFile.toString(),
                "-fps_mode", "passthrough", "-f", "framemd5", "-flush_packets", "1", "-y", hashes.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (DatagramSocket socket = new DatagramSocket()) {
            // UDP is the point here, and a lost packet would change a picture: the first packet goes out once
            // FFmpeg has bound its port, packets are paced and FFmpeg's socket buffer is large.
            LoopbackUdp.awaitBound(port, ffmpeg);
            InetSocketAddress rtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            RtpPacketizer packetizer = new RtpPacketizer(new H264PayloadFormat(parameterSets), 96, SSRC, 1000,
                    RtpPacketizer.DEFAULT_MAX_PACKET_SIZE);
            // Twice the frame rate, a 300 kB IDR spread out rather than in one burst: loopback drops what does
            // not fit in the socket buffer when the sender outruns FFmpeg's reading and decoding.
            long start = System.nanoTime();
            for (Frame frame : clip.frames()) {
                LockSupport.parkNanos(start + frame.timestampNanos() / 2 - System.nanoTime());
                for (ByteBuffer packet : packetizer.packetize(frame, (int) (90_000 + frame.timestampAt(90_000)))) {
                    LoopbackUdp.sendPaced(socket, packet, rtp);
                }
            }
            // FFmpeg ends at BYE even with packets still queued, so it first reads every packet (its socket's
            // receive queue is empty) and decodes them (the count of pictures stops growing); the last few
            // pictures stay in its decoder until the end. The deadline only bounds a hang.
            LoopbackUdp.awaitDrained(port, ffmpeg, 500);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int decoded = -1;
            while (decoded != lines(hashes) && System.nanoTime() < deadline && ffmpeg.isAlive()) {
                decoded = lines(hashes);
                Thread.sleep(1000);
            }
            send(socket, Rtcp.bye(SSRC, Rtcp.ntpTimestamp(System.currentTimeMillis()), 0, packetizer.packetCount(),
                    packetizer.octetCount(), "interop", "end of stream"),
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port + 1));
            assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg did not end at RTCP BYE");
        } finally {
            if (ffmpeg.isAlive()) {
                ffmpeg.destroyForcibly().waitFor();
            }
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, ffmpeg.exitValue(), output);
        assertTrue(output.isBlank(), "ffmpeg reported errors: " + output);
        assertEquals(TestClips.PICTURES, expected.size());
        assertEquals(expected, hashes(Files.readString(hashes)), "pictures decoded from RTP differ from the file's");
    }

    private List<String> pictureHashes(List<String> input) throws Exception {
        Path out = dir.resolve("file.md5");
        List<String> command = new ArrayList<>(List.of(TestImages.FFMPEG, "-hide_banner", "-nostdin", "-loglevel",
                "error"));
        command.addAll(input);
        // Passthrough: the clip's timestamps are in decoding order, so B pictures must not be taken as late.
        command.addAll(List.of("-fps_mode", "passthrough", "-f", "framemd5", "-y", out.toString()));
        TestClips.run(command);
        return hashes(Files.readString(out));
    }

    /** The MD5 of each decoded picture, in order (timestamps differ between a file and RTP and are left out). */
    private static List<String> hashes(String framemd5) {
        return framemd5.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.substring(line.lastIndexOf(',') + 1).strip()).toList();
    }

    private static int lines(Path framemd5) throws IOException {
        return Files.exists(framemd5) ? hashes(Files.readString(framemd5)).size() : 0;
    }

    private static void send(DatagramSocket socket, ByteBuffer packet, InetSocketAddress target) throws IOException {
        byte[] bytes = TestImages.bytes(packet);
        socket.send(new DatagramPacket(bytes, bytes.length, target));
    }
}
