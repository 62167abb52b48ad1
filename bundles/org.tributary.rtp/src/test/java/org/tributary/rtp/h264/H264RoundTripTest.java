package org.tributary.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.RtpHeader;
import org.tributary.rtp.RtpPacketizer;
import org.tributary.rtp.h264.H264Depacketizer.AccessUnit;
import org.tributary.rtp.jpeg.TestImages;

class H264RoundTripTest {

    @ParameterizedTest
    @EnumSource(TestClips.class)
    void everyAccessUnitSurvivesTheRoundTripNalUnitForNalUnit(TestClips clip) throws Exception {
        for (int maxPacketSize : new int[] {RtpPacketizer.DEFAULT_MAX_PACKET_SIZE, 100}) {
            RtpPacketizer packetizer = packetizer(new H264PayloadFormat(), maxPacketSize);
            H264Depacketizer depacketizer = new H264Depacketizer();
            for (Frame frame : clip.frames()) {
                int timestamp = (int) (7 + frame.timestampAt(90_000));
                AccessUnit au = depacketize(depacketizer, packetizer.packetize(frame, timestamp));

                assertEquals(withoutDelimiters(nals(frame.data())), nals(au.data()), clip + " " + frame);
                assertEquals(frame.keyframe(), au.keyframe(), frame.toString());
                assertEquals(timestamp & 0xFFFF_FFFFL, au.rtpTimestamp());
            }
            assertEquals(0, depacketizer.droppedFrames());
        }
    }

    @Test
    void tinyPacketsCarryLargeNalUnitsAsFuAFragmentsWithStartAndEndBits() throws Exception {
        Frame idr = TestClips.BASELINE.frames().get(0);
        ByteBuffer slice = nals(idr.data()).stream().filter(n -> NalUnit.type(n) == NalUnit.IDR).findFirst().get();
        List<ByteBuffer> packets = packetizer(new H264PayloadFormat(), 100).packetize(idr, 0);

        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        int fragments = 0;
        for (ByteBuffer packet : packets) {
            assertTrue(packet.remaining() <= 100, packet.remaining() + " bytes");
            ByteBuffer p = RtpHeader.payload(packet);
            if (NalUnit.type(p) != NalUnit.FU_A || (p.get(1) & 0x1F) != NalUnit.IDR) {
                continue;
            }
            assertEquals(slice.get(0) & 0xE0, p.get(0) & 0xE0, "F and NRI of the original header");
            assertEquals(fragments == 0, (p.get(1) & 0x80) != 0, "S on the first fragment only");
            assertEquals(0, p.get(1) & 0x20, "R");
            fragments++;
            rebuilt.writeBytes(TestImages.bytes(p.slice(2, p.remaining() - 2)));
            boolean end = (p.get(1) & 0x40) != 0;
            assertEquals(rebuilt.size() == slice.remaining() - 1, end, "E on the last fragment only");
        }
        assertEquals((slice.remaining() - 1 + 85) / 86, fragments, "86 bytes of NAL unit behind 12 + 2 header bytes");
        assertArrayEquals(TestImages.bytes(slice.slice(1, slice.remaining() - 1)), rebuilt.toByteArray(),
                "the fragments hold the NAL unit without its header byte");
    }

    @Test
    void parameterSetsAndSeiTravelTogetherInOneStapABeforeTheFirstSlice() throws Exception {
        Frame idr = TestClips.HIGH_720P.frames().get(30);
        List<ByteBuffer> nals = nals(idr.data());
        assertEquals(List.of(NalUnit.SPS, NalUnit.PPS, NalUnit.IDR),
                nals.stream().map(NalUnit::type).toList().subList(0, 3));

        ByteBuffer first = RtpHeader.payload(packetizer(new H264PayloadFormat(), 1400).packetize(idr, 0).get(0));

        assertEquals(NalUnit.STAP_A, NalUnit.type(first));
        assertEquals(Math.max(nals.get(0).get(0) & 0x60, nals.get(1).get(0) & 0x60), first.get(0) & 0x60,
                "NRI is the highest of the aggregated units");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (ByteBuffer nal : nals.subList(0, 2)) {
            expected.write(nal.remaining() >>> 8);
            expected.write(nal.remaining());
            expected.writeBytes(TestImages.bytes(nal));
        }
        assertArrayEquals(expected.toByteArray(), TestImages.bytes(first.slice(1, first.remaining() - 1)));

        ByteBuffer firstOfStream = RtpHeader.payload(packetizer(new H264PayloadFormat(), 1400)
                .packetize(TestClips.BASELINE.frames().get(0), 0).get(0));
        assertEquals(NalUnit.STAP_A, NalUnit.type(firstOfStream));
        List<Integer> aggregated = new ArrayList<>();
        for (int at = 1; at < firstOfStream.remaining(); at += 2 + (firstOfStream.getShort(at) & 0xFFFF)) {
            aggregated.add(firstOfStream.get(at + 2) & 0x1F);
        }
        assertEquals(List.of(NalUnit.SPS, NalUnit.PPS, NalUnit.SEI), aggregated, "x264's version SEI joins them");
    }

    @Test
    void theMarkerEndsEveryAccessUnitAndSequenceNumbersRunOnAcrossFrames() throws Exception {
        RtpPacketizer packetizer = new RtpPacketizer(new H264PayloadFormat(), 96, 0xABCD, 65530, 1400);
        int expected = 65530;
        for (Frame frame : TestClips.MULTI_SLICE.frames().subList(0, 35)) {
            List<ByteBuffer> packets = packetizer.packetize(frame, (int) frame.timestampAt(90_000));
            for (int i = 0; i < packets.size(); i++) {
                ByteBuffer packet = packets.get(i);
                assertEquals(i == packets.size() - 1, RtpHeader.marker(packet));
                assertEquals(expected, RtpHeader.sequence(packet));
                assertEquals(frame.timestampAt(90_000), RtpHeader.timestamp(packet));
                assertEquals(96, RtpHeader.payloadType(packet));
                assertTrue(packet.remaining() <= 1400);
                expected = (expected + 1) & 0xFFFF;
            }
        }
        assertTrue(expected < 65530, "the sequence wrapped");
    }

    @Test
    void accessUnitDelimitersAreLeftOut() throws Exception {
        Frame frame = TestClips.GSTREAMER.frames().get(1);
        assertEquals(NalUnit.AUD, NalUnit.type(nals(frame.data()).get(0)), "x264enc writes delimiters");

        List<ByteBuffer> packets = packetizer(new H264PayloadFormat(), 1400).packetize(frame, 0);

        for (ByteBuffer packet : packets) {
            ByteBuffer p = RtpHeader.payload(packet);
            assertTrue(NalUnit.type(p) != NalUnit.AUD && (NalUnit.type(p) != NalUnit.STAP_A
                    || (p.get(3) & 0x1F) != NalUnit.AUD), "a packet starts with a delimiter");
        }
    }

    @Test
    void anIdrWithoutInBandParameterSetsGetsThoseTheFormatWasGiven() throws Exception {
        List<Frame> frames = TestClips.BASELINE.frames();
        List<ByteBuffer> sets = AnnexB.parameterSets(ByteBuffer.wrap(TestClips.BASELINE.bytes()));
        Frame idr = strip(frames.get(30), NalUnit.SPS, NalUnit.PPS);
        Frame idrWithoutPps = strip(frames.get(30), NalUnit.PPS);
        Frame p = frames.get(31);

        H264PayloadFormat withSets = new H264PayloadFormat(sets);
        List<ByteBuffer> restored = nals(roundTrip(withSets, idr).data());
        List<ByteBuffer> asIs = nals(roundTrip(new H264PayloadFormat(), idr).data());
        List<ByteBuffer> onlyPps = nals(roundTrip(withSets, idrWithoutPps).data());

        assertEquals(withoutDelimiters(nals(frames.get(30).data())), restored);
        assertEquals(nals(idr.data()), asIs);
        assertEquals(List.of(NalUnit.PPS, NalUnit.SPS, NalUnit.IDR), onlyPps.stream().map(NalUnit::type).toList(),
                "only the missing PPS is put in front");
        assertEquals(nals(p.data()), nals(roundTrip(withSets, p).data()), "a P picture is not touched");
        assertThrows(IllegalArgumentException.class,
                () -> new H264PayloadFormat(List.of(ByteBuffer.wrap(new byte[] {0x65}))));
    }

    @Test
    void theDepacketizerCanRestoreParameterSetsFromTheSdp() throws Exception {
        List<ByteBuffer> sets = AnnexB.parameterSets(ByteBuffer.wrap(TestClips.BASELINE.bytes()));
        Frame original = TestClips.BASELINE.frames().get(60);
        Frame idr = strip(original, NalUnit.SPS, NalUnit.PPS);
        H264Depacketizer depacketizer = new H264Depacketizer(sets);

        AccessUnit au = depacketize(depacketizer, packetizer(new H264PayloadFormat(), 1400).packetize(idr, 0));

        assertEquals(nals(original.data()), nals(au.data()));
        assertTrue(au.keyframe());
    }

    @Test
    void allPayloadsOfAFrameShareOneArrayBehindZeroedHeadroom() throws Exception {
        Frame idr = TestClips.HIGH_720P.frames().get(0);
        List<ByteBuffer> payloads = new ArrayList<>();
        new H264PayloadFormat().payloads(idr, 1388, 12, payloads);
        assertTrue(payloads.size() > 50, payloads.size() + " payloads");
        byte[] array = payloads.get(0).array();
        int total = 0;
        for (ByteBuffer payload : payloads) {
            assertTrue(payload.array() == array);
            assertEquals(0, payload.position());
            assertFalse(payload.isReadOnly());
            assertTrue(payload.limit() <= 12 + 1388);
            assertArrayEquals(new byte[12], TestImages.bytes(payload.slice(0, 12)));
            total += payload.limit();
        }
        assertEquals(array.length, total, "no byte of the array is wasted");
    }

    @Test
    void framesThatAreNotH264AccessUnitsAreRefusedWithAReason() throws Exception {
        H264PayloadFormat format = new H264PayloadFormat();
        List<ByteBuffer> out = new ArrayList<>();
        Frame jpeg = new Frame(Codec.JPEG, 3, 0, true, ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xD8}));
        Frame avcc = new Frame(Codec.H264, 4, 0, true, ByteBuffer.wrap(new byte[] {0, 0, 0, 5, 0x65, 1, 2, 3, 4}));
        Frame good = TestClips.BASELINE.frames().get(0);

        assertTrue(assertThrows(RtpException.class, () -> format.payloads(jpeg, 1400, out)).getMessage()
                .contains("JPEG"));
        assertTrue(assertThrows(RtpException.class, () -> format.payloads(avcc, 1400, out)).getMessage()
                .contains("start codes"));
        assertTrue(assertThrows(RtpException.class, () -> format.payloads(good, 2, out)).getMessage()
                .contains("packet size"));
        assertEquals(List.of(), out);
        assertEquals("H264", format.encodingName());
        assertEquals(90_000, format.clockRate());
    }

    @Test
    void aLostFragmentDropsItsAccessUnitAndTheNextOnesStillArrive() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.HIGH_720P, 0, 5);
        H264Depacketizer depacketizer = new H264Depacketizer();

        List<AccessUnit> out = feed(depacketizer, frames, (frame, i) -> frame == 0 && i == 10);

        assertEquals(4, out.size());
        assertEquals(1, depacketizer.droppedFrames());
        assertFalse(out.get(0).keyframe());
    }

    @Test
    void aLostMarkerPacketDropsItsAccessUnitOnly() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.MULTI_SLICE, 0, 5);
        H264Depacketizer depacketizer = new H264Depacketizer();
        int last = frames.get(0).size() - 1;

        List<AccessUnit> out = feed(depacketizer, frames, (frame, i) -> frame == 0 && i == last);

        assertEquals(4, out.size());
        assertEquals(1, depacketizer.droppedFrames());
    }

    @Test
    void aLostFirstPacketDropsTheAccessUnitItBegan() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.HIGH_720P, 31, 34);
        assertTrue(frames.get(1).size() > 1, "a P picture in FU-A fragments");
        H264Depacketizer depacketizer = new H264Depacketizer();

        List<AccessUnit> out = feed(depacketizer, frames, (frame, i) -> frame == 1 && i == 0);

        assertEquals(2, out.size());
        assertEquals(1, depacketizer.droppedFrames());
    }

    @Test
    void losingOnlyTheParameterSetsInFrontOfAnIdrKeepsItsPicture() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.HIGH_720P, 29, 32);
        H264Depacketizer depacketizer = new H264Depacketizer();

        List<AccessUnit> out = feed(depacketizer, frames, (frame, i) -> frame == 1 && i == 0);

        assertEquals(3, out.size(), "the IDR's first slice shows that nothing of the picture was lost");
        assertEquals(0, depacketizer.droppedFrames());
        assertTrue(out.get(1).keyframe());
        assertEquals(NalUnit.IDR, NalUnit.type(nals(out.get(1).data()).get(0)));
    }

    @Test
    void aWholeLostAccessUnitCostsNoOtherFrame() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.MULTI_SLICE, 0, 6);
        H264Depacketizer depacketizer = new H264Depacketizer();

        List<AccessUnit> out = feed(depacketizer, frames, (frame, i) -> frame == 3);

        assertEquals(5, out.size());
        assertEquals(0, depacketizer.droppedFrames(), "nothing was abandoned");
    }

    @Test
    void aSenderWithoutMarkersHasItsAccessUnitsEndedByTheNextTimestamp() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.BASELINE, 0, 4);
        H264Depacketizer depacketizer = new H264Depacketizer();
        List<AccessUnit> out = new ArrayList<>();
        for (List<ByteBuffer> packets : frames) {
            for (ByteBuffer packet : packets) {
                ByteBuffer copy = ByteBuffer.wrap(TestImages.bytes(packet));
                copy.put(1, (byte) (copy.get(1) & 0x7F));
                depacketizer.accept(copy).ifPresent(out::add);
            }
        }
        assertEquals(3, out.size(), "the last waits for a next timestamp");
        List<Frame> originals = TestClips.BASELINE.frames();
        for (int i = 0; i < 3; i++) {
            assertEquals(withoutDelimiters(nals(originals.get(i).data())), nals(out.get(i).data()));
            assertEquals(originals.get(i).timestampAt(90_000), out.get(i).rtpTimestamp());
        }
    }

    @Test
    void lateAndDuplicatePacketsAreIgnored() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.MULTI_SLICE, 0, 3);
        H264Depacketizer depacketizer = new H264Depacketizer();
        List<AccessUnit> out = new ArrayList<>();
        for (List<ByteBuffer> packets : frames) {
            for (ByteBuffer packet : packets) {
                depacketizer.accept(packet).ifPresent(out::add);
                assertTrue(depacketizer.accept(packet).isEmpty(), "a duplicate");
            }
            assertTrue(depacketizer.accept(frames.get(0).get(0)).isEmpty(), "a late packet");
        }
        assertEquals(3, out.size());
        assertEquals(0, depacketizer.droppedFrames());
    }

    @Test
    void garbageNeverThrowsAndACleanAccessUnitFollows() throws Exception {
        List<List<ByteBuffer>> frames = packetize(TestClips.MULTI_SLICE, 0, 3);
        List<ByteBuffer> all = frames.stream().flatMap(List::stream).toList();
        H264Depacketizer depacketizer = new H264Depacketizer();
        Random random = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = TestImages.bytes(all.get(random.nextInt(all.size())));
            int length = random.nextInt(bytes.length + 1);
            for (int k = random.nextInt(4); k > 0; k--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
            }
            if (random.nextInt(4) == 0) {
                bytes[12] = (byte) (random.nextInt(32) | (bytes[12] & 0xE0));
            }
            depacketizer.accept(ByteBuffer.wrap(bytes, 0, length));
        }
        RtpPacketizer packetizer = new RtpPacketizer(new H264PayloadFormat(), 96, 1, 20_000, 1400);
        Optional<AccessUnit> au = Optional.empty();
        Frame idr = TestClips.MULTI_SLICE.frames().get(30);
        for (ByteBuffer packet : packetizer.packetize(idr, 123_456_789)) {
            au = depacketizer.accept(packet);
        }
        assertTrue(au.isPresent(), "a clean access unit after garbage is rebuilt");
        assertEquals(nals(idr.data()), nals(au.get().data()));
    }

    interface Loss {
        boolean lost(int frame, int packet);
    }

    private static List<AccessUnit> feed(H264Depacketizer depacketizer, List<List<ByteBuffer>> frames, Loss loss) {
        List<AccessUnit> out = new ArrayList<>();
        for (int f = 0; f < frames.size(); f++) {
            List<ByteBuffer> packets = frames.get(f);
            for (int i = 0; i < packets.size(); i++) {
                if (!loss.lost(f, i)) {
                    depacketizer.accept(packets.get(i)).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    /** The packets of frames {@code from} (inclusive) to {@code to} (exclusive) of a clip, one list per frame. */
    private static List<List<ByteBuffer>> packetize(TestClips clip, int from, int to) throws Exception {
        RtpPacketizer packetizer = packetizer(new H264PayloadFormat(), 1400);
        List<List<ByteBuffer>> frames = new ArrayList<>();
        for (Frame frame : clip.frames().subList(from, to)) {
            frames.add(packetizer.packetize(frame, (int) frame.timestampAt(90_000)));
        }
        return frames;
    }

    private static RtpPacketizer packetizer(H264PayloadFormat format, int maxPacketSize) {
        return new RtpPacketizer(format, 96, 0x1234, 65000, maxPacketSize);
    }

    private static AccessUnit roundTrip(H264PayloadFormat format, Frame frame) throws RtpException {
        return depacketize(new H264Depacketizer(), packetizer(format, 1400).packetize(frame, 0));
    }

    private static AccessUnit depacketize(H264Depacketizer depacketizer, List<ByteBuffer> packets) {
        Optional<AccessUnit> au = Optional.empty();
        for (ByteBuffer packet : packets) {
            assertTrue(au.isEmpty(), "access unit before the marker packet");
            au = depacketizer.accept(packet);
        }
        return au.orElseThrow();
    }

    private static Frame strip(Frame frame, Integer... types) {
        List<ByteBuffer> kept = nals(frame.data()).stream()
                .filter(n -> !List.of(types).contains(NalUnit.type(n))).toList();
        return new Frame(Codec.H264, frame.index(), frame.timestampNanos(), frame.keyframe(), AnnexB.join(kept));
    }

    static List<ByteBuffer> nals(ByteBuffer annexB) {
        return AnnexB.nalUnits(annexB);
    }

    static List<ByteBuffer> withoutDelimiters(List<ByteBuffer> nals) {
        return nals.stream().filter(n -> NalUnit.type(n) != NalUnit.AUD).toList();
    }
}
