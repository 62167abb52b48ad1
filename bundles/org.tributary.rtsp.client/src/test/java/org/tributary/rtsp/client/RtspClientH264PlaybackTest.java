package org.tributary.rtsp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.NalUnit;
import org.tributary.rtp.sdp.MediaDescription;

/**
 * Plays an H.264 file that GStreamer's RTSP server packetizes with its own rtph264pay (parameter sets in
 * SDP and before every IDR), and compares the access units the client rebuilds with the file's pictures.
 */
class RtspClientH264PlaybackTest {

    private static GstRtspServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = GstRtspServer.start(GstRtspServer.h264Clip(H264Clip.matroska()));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /**
     * Over UDP every packet arrives on loopback: the server's pipeline sends at the clip's 25 fps, paced by its
     * clock, after PLAY is answered to a client whose socket is bound (with a large receive buffer) at SETUP.
     */
    @Test
    void everyAccessUnitOfTheFileArrivesWholeOverUdp() throws Exception {
        assertThePicturesOfTheFileArrive(RtspClientOptions.defaults());
    }

    @Test
    void everyAccessUnitOfTheFileArrivesWholeOverTcp() throws Exception {
        assertThePicturesOfTheFileArrive(RtspClientOptions.builder().transport(LowerTransport.TCP).build());
    }

    private static void assertThePicturesOfTheFileArrive(RtspClientOptions options) throws Exception {
        List<ByteBuffer> file = H264Clip.accessUnits();
        Recorder recorder = new Recorder();
        try (RtspClient client = RtspClient.start(server.url(), options, recorder)) {
            recorder.end.get(60, java.util.concurrent.TimeUnit.SECONDS);
            MediaDescription media = client.sessionDescription().media().get(0);
            assertEquals("H264", media.encodingName());
            assertEquals(0, client.statistics().droppedFrames(), client.statistics().toString());
        }
        List<ReceivedFrame> frames = recorder.snapshot();

        assertEquals(H264Clip.PICTURES, frames.size());
        for (int i = 0; i < frames.size(); i++) {
            ReceivedFrame frame = frames.get(i);
            assertEquals(Codec.H264, frame.codec());
            assertEquals(H264Clip.slices(file.get(i)), H264Clip.slices(frame.data()), "picture " + i);
            if (AnnexB.containsIdr(frame.data())) {
                List<Integer> types = H264Clip.types(frame.data());
                assertTrue(types.indexOf(NalUnit.SPS) >= 0 && types.indexOf(NalUnit.SPS) < types.indexOf(NalUnit.IDR)
                        && types.indexOf(NalUnit.PPS) < types.indexOf(NalUnit.IDR), "picture " + i + ": " + types);
            }
            assertEquals(i * 40_000_000L, frame.presentationTimeNanos(), 1_000_000L, "picture " + i);
        }
        assertTrue(recorder.errors.isEmpty(), recorder.errors.toString());
    }
}
