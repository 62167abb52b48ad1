package org.tributary.source.relay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.rtp.sdp.SdpParser;

class OriginMediaTest {

    private static final String SPS_640x480 = "Z2QAHqzZQKA9sBagwMDUoAAAAwAgAAAHkeLFssA=";

    @Test
    void anH264TrackGivesItsParameterSetsAndTheSizeOfItsSps() throws Exception {
        OriginMedia media = OriginMedia.of(SdpParser.parse(sdp("m=audio 0 RTP/AVP 0\r\n"
                + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
                + "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=" + SPS_640x480 + ",aOvssiw=\r\n"
                + "a=framerate:30\r\n")));

        assertEquals(1, media.track(), "the video track, after the audio one");
        assertEquals(Codec.H264, media.info().codec());
        assertEquals(2, media.info().parameterSets().size());
        assertEquals(640, media.info().width());
        assertEquals(480, media.info().height());
        assertEquals(30, media.info().frameRate());
        assertTrue(media.frameRateKnown());
        assertTrue(media.info().live());
    }

    @Test
    void aJpegTrackGivesTheSizeOfXDimensionsAndAssumesAFrameRateWhenNoneIsSaid() throws Exception {
        OriginMedia media = OriginMedia.of(SdpParser.parse(sdp("m=video 0 RTP/AVP 26\r\na=x-dimensions:320,240\r\n")));

        assertEquals(0, media.track());
        assertEquals(Codec.JPEG, media.info().codec());
        assertEquals(320, media.info().width());
        assertEquals(240, media.info().height());
        assertEquals(OriginMedia.DEFAULT_FRAME_RATE, media.info().frameRate());
        assertFalse(media.frameRateKnown());
    }

    @Test
    void anOriginWithoutJpegOrH264VideoIsRefusedNamingWhatItOffers() {
        IOException e = assertThrows(IOException.class, () -> OriginMedia.of(SdpParser.parse(sdp(
                "m=video 0 RTP/AVP 97\r\na=rtpmap:97 H265/90000\r\n"))));
        assertTrue(e.getMessage().contains("video H265"), e.getMessage());
    }

    private static String sdp(String media) {
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=test\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\na=range:npt=now-\r\n" + media;
    }
}
