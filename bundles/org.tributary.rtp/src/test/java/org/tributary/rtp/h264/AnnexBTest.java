package org.tributary.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tributary.rtp.jpeg.TestImages;

class AnnexBTest {

    @ParameterizedTest
    @EnumSource(TestClips.class)
    void everyClipSplitsIntoTheAccessUnitsFfprobeSees(TestClips clip) throws Exception {
        ByteBuffer stream = ByteBuffer.wrap(clip.bytes());
        List<ByteBuffer> units = AnnexB.accessUnits(stream);

        List<Boolean> keyframes = ffprobeKeyframes(clip);
        assertEquals(TestClips.PICTURES, keyframes.size());
        assertEquals(keyframes.size(), units.size());
        ByteArrayOutputStream rejoined = new ByteArrayOutputStream();
        for (int i = 0; i < units.size(); i++) {
            ByteBuffer au = units.get(i);
            assertEquals(keyframes.get(i), AnnexB.containsIdr(au), "access unit " + i);
            assertTrue(au.isReadOnly());
            rejoined.writeBytes(TestImages.bytes(au));
            long pictures = AnnexB.nalUnits(au).stream()
                    .filter(nal -> NalUnit.isSlice(NalUnit.type(nal)) && (nal.get(1) & 0x80) != 0).count();
            assertEquals(1, pictures, "access unit " + i + " holds one slice with first_mb_in_slice 0");
        }
        assertArrayEquals(clip.bytes(), rejoined.toByteArray(), "access units cover the stream without gaps");
        assertEquals(0, stream.position());
    }

    @Test
    void multiSlicePicturesKeepAllTheirSlicesInOneAccessUnit() throws Exception {
        for (ByteBuffer au : AnnexB.accessUnits(ByteBuffer.wrap(TestClips.MULTI_SLICE.bytes()))) {
            int slices = 0;
            for (ByteBuffer nal : AnnexB.nalUnits(au)) {
                if (NalUnit.isSlice(NalUnit.type(nal))) {
                    slices++;
                    assertTrue(nal.remaining() <= 1000, "x264 slice-max-size=1000 gave " + nal.remaining());
                }
            }
            if (AnnexB.containsIdr(au)) {
                assertTrue(slices >= 3, "an IDR of " + au.remaining() + " bytes in " + slices + " slices");
            }
        }
    }

    @Test
    void nalUnitsLeaveOutStartCodesLeadingBytesAndTrailingZeros() {
        byte[] stream = {
            9, 9, // not part of any unit
            0, 0, 0, 1, 0x67, 1, 2, 0, 0, // trailing zeros before a 3-byte start code
            0, 0, 1, 0x68, 3,
            0, 0, 0, 1, // empty unit
            0, 0, 0, 1, 0x65, (byte) 0x88, 0, 0, 3, 0, 4, 0};
        List<ByteBuffer> nals = AnnexB.nalUnits(ByteBuffer.wrap(stream));
        assertEquals(3, nals.size());
        assertArrayEquals(new byte[] {0x67, 1, 2}, TestImages.bytes(nals.get(0)));
        assertArrayEquals(new byte[] {0x68, 3}, TestImages.bytes(nals.get(1)));
        assertArrayEquals(new byte[] {0x65, (byte) 0x88, 0, 0, 3, 0, 4}, TestImages.bytes(nals.get(2)),
                "an emulation prevention sequence is not a start code");
        assertEquals(List.of(), AnnexB.nalUnits(ByteBuffer.wrap(new byte[] {0, 0, 2, 1, 0, 0})));
    }

    @Test
    void accessUnitsBeginAtDelimitersParameterSetsAndFirstSlices() {
        byte[] stream = annexB(
                new byte[] {0x09, (byte) 0xF0}, sps(), pps(), new byte[] {0x65, (byte) 0x88, 1}, // AU 0: IDR
                new byte[] {0x65, 0x40, 2}, // second slice of the same IDR (first_mb_in_slice 1)
                new byte[] {0x41, (byte) 0x9A, 3}, // AU 1: first slice of a P picture
                new byte[] {0x41, 0x20, 4}, // its second slice
                new byte[] {0x06, 5, 1, 0, (byte) 0x80}, new byte[] {0x41, (byte) 0x9A, 6}, // AU 2: SEI begins it
                new byte[] {0x0A}, // end of sequence closes AU 2
                new byte[] {0x65, 0x40, 7}, // AU 3 after end of sequence, whatever its slice says
                new byte[] {0x09, 0x10}, new byte[] {0x01, (byte) 0x80}); // AU 4: delimiter
        List<ByteBuffer> units = AnnexB.accessUnits(ByteBuffer.wrap(stream));
        int[] sizes = units.stream().mapToInt(au -> AnnexB.nalUnits(au).size()).toArray();
        assertArrayEquals(new int[] {5, 2, 3, 1, 2}, sizes);
        assertTrue(AnnexB.containsIdr(units.get(0)));
        assertFalse(AnnexB.containsIdr(units.get(1)));
        assertEquals(0, units.get(0).get(0), "an access unit starts with its start code");
    }

    @Test
    void parameterSetsAreCopiesOfTheFirstSpsAndPps() {
        byte[] stream = annexB(sps(), pps(), new byte[] {0x68, 1}, new byte[] {0x65, (byte) 0x88});
        List<ByteBuffer> sets = AnnexB.parameterSets(ByteBuffer.wrap(stream));
        assertEquals(2, sets.size());
        assertArrayEquals(sps(), TestImages.bytes(sets.get(0)));
        assertArrayEquals(pps(), TestImages.bytes(sets.get(1)));
        assertFalse(sets.get(0).hasArray(), "read-only");
        stream[5] = 0;
        assertArrayEquals(sps(), TestImages.bytes(sets.get(0)), "a copy, not a view");
        assertEquals(List.of(), AnnexB.parameterSets(ByteBuffer.wrap(annexB(sps()))));
    }

    @Test
    void joinWritesFourByteStartCodes() {
        ByteBuffer joined = AnnexB.join(List.of(ByteBuffer.wrap(sps()), ByteBuffer.wrap(pps())));
        assertArrayEquals(annexB(sps(), pps()), TestImages.bytes(joined));
    }

    /** Whether each picture is a keyframe, in decoding order, as FFmpeg's own parser sees the clip. */
    static List<Boolean> ffprobeKeyframes(TestClips clip) throws Exception {
        Process p = new ProcessBuilder("ffprobe", "-v", "error", "-show_entries", "packet=flags", "-of", "csv=p=0",
                clip.file().toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        return output.lines().filter(line -> !line.isBlank()).map(line -> line.startsWith("K")).toList();
    }

    static byte[] sps() {
        return new byte[] {0x67, 0x42, (byte) 0xC0, 0x1E, (byte) 0xD9, 0x00, (byte) 0xA0, 0x3D, (byte) 0xA1};
    }

    static byte[] pps() {
        return new byte[] {0x68, (byte) 0xCE, 0x3C, (byte) 0x80};
    }

    static byte[] annexB(byte[]... nals) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : nals) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }
}
