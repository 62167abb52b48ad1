package org.tributary.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.tributary.api.Frame;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpPacketizer;

/**
 * The per-frame cost of RTP/H.264 on a pacer thread, measured on a 720p stream with 300 kB IDRs. Not a JMH
 * benchmark: the bounds are loose enough for a busy shared machine and catch only a cost gone wrong (a copy
 * per packet, a quadratic scan).
 */
class H264PacketizingSpeedTest {

    @Test
    void packetizingA720pAccessUnitTakesWellUnderAMillisecond() throws Exception {
        List<Frame> frames = TestClips.HIGH_720P.frames();
        List<Frame> idrs = frames.stream().filter(Frame::keyframe).toList();
        List<Frame> predicted = frames.stream().filter(f -> !f.keyframe()).toList();
        RtpPacketizer packetizer = new RtpPacketizer(new H264PayloadFormat(), 96, 1, 0, 1400);
        for (int round = 0; round < 30; round++) {
            packetizeAll(packetizer, frames);
        }

        double idrMicros = microsPerFrame(packetizer, idrs, 100);
        double predictedMicros = microsPerFrame(packetizer, predicted, 20);

        System.out.printf("H.264 720p packetizing: %.1f us per IDR (%d kB), %.1f us per P picture (%d kB avg)%n",
                idrMicros, idrs.get(0).size() / 1024, predictedMicros,
                predicted.stream().mapToInt(Frame::size).sum() / predicted.size() / 1024);
        assertTrue(idrMicros < 3000, idrMicros + " us per IDR");
        assertTrue(predictedMicros < 1000, predictedMicros + " us per P picture");
    }

    private static double microsPerFrame(RtpPacketizer packetizer, List<Frame> frames, int rounds)
            throws RtpException {
        long start = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            packetizeAll(packetizer, frames);
        }
        return (System.nanoTime() - start) / 1000.0 / rounds / frames.size();
    }

    private static void packetizeAll(RtpPacketizer packetizer, List<Frame> frames) throws RtpException {
        for (Frame frame : frames) {
            packetizer.packetize(frame, (int) frame.timestampAt(90_000));
        }
    }
}
