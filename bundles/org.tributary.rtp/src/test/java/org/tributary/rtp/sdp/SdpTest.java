package org.tributary.rtp.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.rtp.RtpException;

class SdpTest {

    private static final byte[] SPS = {0x67, 0x42, (byte) 0xC0, 0x1F, (byte) 0xDA, 0x01, 0x40, 0x16};
    private static final byte[] PPS = {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
    /** A whole SPS of a 640x480 baseline stream; {@link #SPS} ends before its picture size. */
    private static final byte[] SPS_640X480 = {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xD9, 0x00, (byte) 0xA0, 0x3D,
        (byte) 0xA1};

    @Test
    void onDemandJpegSessionHasTheLinesClientsNeedInOrder() {
        String sdp = SdpWriter.write("movie.Mjpeg", "192.168.1.5", 3_900_000_000L, Duration.ofMillis(123_456),
                List.of(new SdpTrack(Codec.JPEG, 26, "trackID=0", 384, 288, 25, List.of())));
        assertEquals(String.join("\r\n", "v=0", "o=- 3900000000 1 IN IP4 192.168.1.5", "s=movie.Mjpeg",
                "c=IN IP4 0.0.0.0", "t=0 0", "a=tool:Tributary", "a=control:*", "a=range:npt=0-123.456",
                "m=video 0 RTP/AVP 26", "a=rtpmap:26 JPEG/90000", "a=control:trackID=0", "a=framerate:25",
                "a=x-dimensions:384,288") + "\r\n", sdp);
    }

    @Test
    void liveH264SessionCarriesParameterSetsAndProfile() throws Exception {
        String sdp = SdpWriter.write("stream", "10.0.0.1", null, List.of(new SdpTrack(Codec.H264, 96, "trackID=0",
                0, 0, 29.97, List.of(ByteBuffer.wrap(SPS), ByteBuffer.wrap(PPS)))));
        assertTrue(sdp.contains("a=range:npt=now-\r\n"), sdp);
        assertTrue(sdp.contains("a=rtpmap:96 H264/90000\r\n"), sdp);
        String b64 = Base64.getEncoder().encodeToString(SPS) + "," + Base64.getEncoder().encodeToString(PPS);
        assertTrue(sdp.contains("a=fmtp:96 packetization-mode=1;profile-level-id=42C01F;sprop-parameter-sets="
                + b64 + "\r\n"), sdp);
        assertTrue(sdp.contains("a=framerate:29.97\r\n"), sdp);
        assertTrue(!sdp.contains("x-dimensions"), sdp);

        SessionDescription parsed = SdpParser.parse(sdp);
        assertEquals("stream", parsed.name());
        assertNull(parsed.duration());
        assertEquals("*", parsed.control());
        MediaDescription video = parsed.media().get(0);
        assertEquals("video", video.type());
        assertEquals(96, video.payloadType());
        assertEquals("H264", video.encodingName());
        assertEquals(90000, video.clockRate());
        assertEquals("trackID=0", video.control());
        assertEquals("42C01F", video.formatParameters().get("profile-level-id"));
        assertEquals(b64, video.formatParameters().get("sprop-parameter-sets"));
        assertEquals("29.97", video.attributes().get("framerate"));
    }

    @Test
    void unicastDescriptionNamesTheReceiversAddressAndPortAndNoControl() throws Exception {
        InetSocketAddress receiver = new InetSocketAddress(InetAddress.getByName("192.168.1.20"), 5004);
        String sdp = SdpWriter.writeUnicast("stream", "192.168.1.5", receiver, null, new SdpTrack(Codec.H264, 96,
                "trackID=0", 640, 480, 30, List.of(ByteBuffer.wrap(SPS), ByteBuffer.wrap(PPS))));

        assertTrue(sdp.contains("\r\nc=IN IP4 192.168.1.20\r\n"), sdp);
        assertTrue(sdp.contains("\r\nm=video 5004 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"), sdp);
        assertTrue(sdp.contains("a=fmtp:96 packetization-mode=1;profile-level-id=42C01F;sprop-parameter-sets="), sdp);
        assertTrue(!sdp.contains("a=control"), sdp);
        MediaDescription video = SdpParser.parse(sdp).media().get(0);
        assertEquals(96, video.payloadType());

        String v6 = SdpWriter.writeUnicast("s", "::1", new InetSocketAddress(InetAddress.getByName("::1"), 6000),
                null, new SdpTrack(Codec.JPEG, 26, "trackID=0", 0, 0, 25, List.of()));
        assertTrue(v6.contains("\r\nc=IN IP6 ::1\r\n") && v6.contains("m=video 6000 RTP/AVP 26"), v6);
        assertTrue(v6.contains("\r\no=- ") && v6.contains(" 1 IN IP6 ::1\r\n"), v6);
    }

    /**
     * What a client that came over IPv6 gets (GStreamer's rtspsrc opens its RTP sockets in the family of
     * {@code c=}, and reads addresses without brackets): the origin compressed and bare under IP6, and c= IP6.
     */
    @Test
    void anIpv6OriginIsWrittenCompressedWithoutBracketsAndTheConnectionLineIsIp6() {
        for (String origin : List.of("[0:0:0:0:0:0:0:1]", "0:0:0:0:0:0:0:1", "::1", "[::1]")) {
            String sdp = SdpWriter.write("demo", origin, 3_900_000_000L, null,
                    List.of(new SdpTrack(Codec.JPEG, 26, "trackID=0", 320, 240, 25, List.of())));
            assertTrue(sdp.startsWith("v=0\r\no=- 3900000000 1 IN IP6 ::1\r\ns=demo\r\nc=IN IP6 ::\r\n"),
                    origin + " gives:\n" + sdp);
        }
        String zoned = SdpWriter.write("s", "[FE80:0:0:0:0:0:0:1%eth0]", 1L, null, List.of());
        assertTrue(zoned.contains("o=- 1 1 IN IP6 fe80::1\r\n") && zoned.contains("c=IN IP6 ::\r\n"), zoned);
        String v4 = SdpWriter.write("s", "127.0.0.1", 1L, null, List.of());
        assertTrue(v4.contains("o=- 1 1 IN IP4 127.0.0.1\r\n") && v4.contains("c=IN IP4 0.0.0.0\r\n"), v4);
        String named = SdpWriter.write("s", "media.example", 1L, null, List.of());
        assertTrue(named.contains("o=- 1 1 IN IP4 media.example\r\n"), named);
    }

    @Test
    void addressesAreWrittenInTheTextFormOfRfc5952() throws Exception {
        assertEquals("::1", SdpWriter.literal(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertEquals("::", SdpWriter.literal(InetAddress.getByName("0:0:0:0:0:0:0:0")));
        assertEquals("2001:db8::1:0:0:1", SdpWriter.literal(InetAddress.getByName("2001:DB8:0:0:1:0:0:1")),
                "the first of two equally long runs");
        assertEquals("2001:db8:0:1:1:1:1:1", SdpWriter.literal(InetAddress.getByName("2001:db8:0:1:1:1:1:1")),
                "one zero group stays");
        assertEquals("2001:db8::2:1", SdpWriter.literal(InetAddress.getByName("2001:db8:0:0:0:0:2:1")));
        assertEquals("fe80::1", SdpWriter.literal(InetAddress.getByName("fe80::1%1")), "no zone");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1};
        assertEquals("::ffff:192.0.2.1", SdpWriter.literal(Inet6Address.getByAddress(null, mapped, -1)));
        assertEquals("192.0.2.1", SdpWriter.literal(InetAddress.getByName("192.0.2.1")));
    }

    @Test
    void parserReadsWhatOtherServersSendWithBareLineFeeds() throws Exception {
        String sdp = "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=No Name\nc=IN IP4 0.0.0.0\nt=0 0\na=tool:libavformat\n"
                + "a=range:npt=0:01:00.5-0:02:00.5\n"
                + "m=video 0 RTP/AVP 26\na=control:rtsp://example.com/cam/streamid=0\n"
                + "m=audio 0 RTP/AVP 97\nb=AS:64\na=rtpmap:97 MPEG4-GENERIC/44100/2\n"
                + "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13\na=recvonly\n";
        SessionDescription parsed = SdpParser.parse(sdp);
        assertEquals(Duration.ofSeconds(60), parsed.duration());
        assertNull(parsed.control());
        assertEquals(2, parsed.media().size());
        MediaDescription video = parsed.media().get(0);
        assertEquals("JPEG", video.encodingName(), "static payload type 26");
        assertEquals(90000, video.clockRate());
        assertEquals("rtsp://example.com/cam/streamid=0", video.control());
        MediaDescription audio = parsed.media().get(1);
        assertEquals("MPEG4-GENERIC", audio.encodingName());
        assertEquals(44100, audio.clockRate());
        assertEquals("13", audio.formatParameters().get("sizelength"));
        assertEquals("", audio.attributes().get("recvonly"));
    }

    @Test
    void writtenOnDemandSessionParsesBackToItsDuration() throws Exception {
        String sdp = SdpWriter.write("clip", "::1", Duration.ofMillis(61_500),
                List.of(new SdpTrack(Codec.JPEG, 26, "trackID=0", 640, 480, 30, List.of())));
        assertTrue(sdp.contains("IN IP6 ::1\r\n"), sdp);
        assertEquals(Duration.ofMillis(61_500), SdpParser.parse(sdp).duration());
    }

    @Test
    void textThatIsNotSdpIsRefused() {
        assertThrows(RtpException.class, () -> SdpParser.parse("RTSP/1.0 200 OK\r\nCSeq: 1\r\n"));
        assertThrows(RtpException.class, () -> SdpParser.parse(""));
        assertThrows(RtpException.class, () -> SdpParser.parse("v=0\r\nm=video\r\n"));
        assertThrows(RtpException.class, () -> SdpParser.parse("v=0\r\ngarbage\r\n"));
    }

    @Test
    void writtenTracksReadBackAsWhatTributaryNeeds() throws Exception {
        String sdp = SdpWriter.write("s", "127.0.0.1", null, List.of(
                new SdpTrack(Codec.H264, 96, "trackID=0", 0, 0, 29.97,
                        List.of(ByteBuffer.wrap(SPS_640X480), ByteBuffer.wrap(PPS))),
                new SdpTrack(Codec.JPEG, 26, "trackID=1", 2560, 1440, 0, List.of())));
        List<MediaDescription> media = SdpParser.parse(sdp).media();

        MediaDescription h264 = media.get(0);
        assertEquals(Optional.of(Codec.H264), h264.codec());
        assertEquals(List.of(ByteBuffer.wrap(SPS_640X480), ByteBuffer.wrap(PPS)), h264.parameterSets());
        assertEquals(new MediaDescription.Dimensions(640, 480), h264.dimensions(), "from the SPS");
        assertEquals(29.97, h264.frameRate());

        MediaDescription jpeg = media.get(1);
        assertEquals(Optional.of(Codec.JPEG), jpeg.codec());
        assertEquals(List.of(), jpeg.parameterSets());
        assertEquals(new MediaDescription.Dimensions(2560, 1440), jpeg.dimensions(), "from a=x-dimensions");
        assertEquals(0, jpeg.frameRate(), "not written, so unknown");
    }

    @Test
    void codecIsMatchedWithoutCaseAndEmptyForOthers() {
        assertEquals(Optional.of(Codec.H264), media("h264", Map.of(), Map.of()).codec());
        assertEquals(Optional.empty(), media("PCMU", Map.of(), Map.of()).codec());
        assertEquals(Optional.empty(), media(null, Map.of(), Map.of()).codec());
    }

    @Test
    void parameterSetsLeaveOutWhatDoesNotDecodeAndAreFreshEachCall() {
        String sps = Base64.getEncoder().encodeToString(SPS_640X480);
        String pps = Base64.getEncoder().encodeToString(PPS);
        MediaDescription m = media("H264", Map.of("sprop-parameter-sets", " " + sps + ", !!,," + pps), Map.of());

        List<ByteBuffer> sets = m.parameterSets();
        assertEquals(List.of(ByteBuffer.wrap(SPS_640X480), ByteBuffer.wrap(PPS)), sets);
        sets.get(0).put(0, (byte) 0);
        assertEquals(ByteBuffer.wrap(SPS_640X480), m.parameterSets().get(0));
        assertEquals(List.of(), media("H264", Map.of(), Map.of()).parameterSets());
    }

    @Test
    void dimensionsAreUnknownUnlessTheSectionTellsThemReadably() {
        String cutSps = Base64.getEncoder().encodeToString(SPS);
        String pps = Base64.getEncoder().encodeToString(PPS);
        String wholeSps = Base64.getEncoder().encodeToString(SPS_640X480);
        assertEquals(new MediaDescription.Dimensions(640, 480),
                media("H264", Map.of("sprop-parameter-sets", pps + "," + wholeSps), Map.of()).dimensions(),
                "the first SPS, wherever it is");
        assertEquals(MediaDescription.Dimensions.UNKNOWN,
                media("H264", Map.of("sprop-parameter-sets", cutSps), Map.of("x-dimensions", "640,480")).dimensions(),
                "an H.264 size comes from the SPS only");
        assertEquals(MediaDescription.Dimensions.UNKNOWN, media("H264", Map.of(), Map.of()).dimensions());
        for (String hint : List.of("640", "640,480,1", "0,480", "-640,480", "640x480", "a,b")) {
            assertEquals(MediaDescription.Dimensions.UNKNOWN,
                    media("JPEG", Map.of(), Map.of("x-dimensions", hint)).dimensions(), hint);
        }
        assertEquals(new MediaDescription.Dimensions(4096, 2160),
                media("JPEG", Map.of(), Map.of("x-dimensions", " 4096 , 2160 ")).dimensions());
    }

    @Test
    void frameRateIsZeroUnlessPlausible() {
        assertEquals(25, media("JPEG", Map.of(), Map.of("framerate", " 25 ")).frameRate());
        assertEquals(1000, media("JPEG", Map.of(), Map.of("framerate", "1000")).frameRate());
        for (String rate : List.of("0", "-25", "1000.5", "NaN", "fast", "")) {
            assertEquals(0, media("JPEG", Map.of(), Map.of("framerate", rate)).frameRate(), rate);
        }
        assertEquals(0, media("JPEG", Map.of(), Map.of()).frameRate());
    }

    private static MediaDescription media(String encodingName, Map<String, String> formatParameters,
            Map<String, String> attributes) {
        return new MediaDescription("video", 96, encodingName, 90_000, null, formatParameters, attributes);
    }
}
