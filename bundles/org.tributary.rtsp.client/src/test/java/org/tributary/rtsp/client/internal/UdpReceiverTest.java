package org.tributary.rtsp.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.rtp.Rtcp;
import org.tributary.rtp.sdp.MediaDescription;
import org.tributary.rtsp.client.JpegPacketization;
import org.tributary.rtsp.client.ReceivedFrame;

class UdpReceiverTest {

    private static final MediaDescription JPEG = new MediaDescription("video", 26, "JPEG", 90_000, "trackID=0",
            Map.of(), Map.of());

    /**
     * A server that sends its last frames and then BYE in a burst (gst-rtsp-server playing an unpaced file
     * does) has both ports readable at once: the frames already received are still delivered before the end.
     */
    @Test
    void framesWaitingOnTheRtpPortAreDeliveredBeforeAByeWaitingOnTheRtcpPort() throws Exception {
        int tracks = 16;
        int framesPerTrack = 5;
        byte[] jfif = jpeg();
        List<List<String>> events = new ArrayList<>();
        CountDownLatch byes = new CountDownLatch(tracks);
        List<DatagramChannel> senders = new ArrayList<>();
        try (UdpReceiver receiver = new UdpReceiver("test-udp", e -> { }, e -> { })) {
            DatagramChannel sender = DatagramChannel.open();
            senders.add(sender);
            for (int i = 0; i < tracks; i++) {
                List<String> log = new CopyOnWriteArrayList<>();
                events.add(log);
                TrackReceiver track = new TrackReceiver(i, Codec.JPEG, JPEG, "trackID=0", 0, JpegPacketization.RAW,
                        new TrackReceiver.Sink() {
                            @Override
                            public void frame(ReceivedFrame frame) {
                                log.add("frame");
                            }

                            @Override
                            public void bye(TrackReceiver t, String reason) {
                                log.add("bye");
                                byes.countDown();
                            }
                        });
                DatagramChannel[] pair = UdpReceiver.bindPair();
                track.rtpSocket = pair[0];
                track.rtcpSocket = pair[1];
                receiver.add(track);
                InetAddress loopback = InetAddress.getLoopbackAddress();
                for (int f = 0; f < framesPerTrack; f++) {
                    sender.send(Packets.rtp(f, f * 3600L, true, jfif),
                            new InetSocketAddress(loopback, UdpReceiver.port(pair[0])));
                }
                sender.send(Rtcp.bye(0x11223344, 0, 0, framesPerTrack, 0, "test", "end of stream"),
                        new InetSocketAddress(loopback, UdpReceiver.port(pair[1])));
            }

            receiver.start();

            assertTrue(byes.await(5, TimeUnit.SECONDS), "every track ends");
            List<String> expected = new ArrayList<>();
            for (int f = 0; f < framesPerTrack; f++) {
                expected.add("frame");
            }
            expected.add("bye");
            for (int i = 0; i < tracks; i++) {
                assertEquals(expected, events.get(i), "track " + i);
            }
        } finally {
            for (DatagramChannel c : senders) {
                c.close();
            }
        }
    }

    private static byte[] jpeg() throws Exception {
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
