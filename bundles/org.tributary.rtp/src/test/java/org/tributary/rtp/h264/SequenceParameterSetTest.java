package org.tributary.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.jpeg.TestImages;

class SequenceParameterSetTest {

    @TempDir
    static Path dir;

    @Test
    void clipsGiveTheirSizeProfileAndLevel() throws Exception {
        SequenceParameterSet baseline = sps(TestClips.BASELINE.bytes());
        assertEquals(640, baseline.width());
        assertEquals(480, baseline.height());
        assertEquals(66, baseline.profileIdc());
        assertTrue(baseline.profileLevelId().startsWith("42C0"), "constrained baseline: " + baseline.profileLevelId());
        assertTrue(baseline.frameMbsOnly());

        SequenceParameterSet high = sps(TestClips.HIGH_720P.bytes());
        assertEquals(1280, high.width());
        assertEquals(720, high.height());
        assertEquals(100, high.profileIdc());
        assertEquals(String.format("64%02X%02X", high.constraintFlags(), high.levelIdc()), high.profileLevelId());

        SequenceParameterSet gst = sps(TestClips.GSTREAMER.bytes());
        assertEquals(640, gst.width());
        assertEquals(480, gst.height());
    }

    @ParameterizedTest(name = "{0}x{1} {2} {3}")
    @CsvSource({
        "1920, 1080, yuv420p, interlaced=1", // field coding and 8 cropped rows in units of 4
        "642, 362, yuv420p, cqm=jvt", // scaling matrices, cropping in units of 2
        "322, 242, yuv422p, cqm=jvt", // 4:2:2 reads 8 scaling lists, crops columns in units of 2, rows in 1
        "322, 242, yuv444p, cqm=jvt", // 4:4:4 reads 12 scaling lists, crops in units of 1
        "176, 144, gray, ref=1", // monochrome: chroma_format_idc 0
    })
    void sizesSurviveCroppingFieldCodingScalingListsAndChromaFormats(int width, int height, String pixelFormat,
            String x264Params) throws Exception {
        Path out = dir.resolve(width + "x" + height + pixelFormat + ".h264");
        TestClips.run(List.of(TestImages.FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", "-f", "lavfi",
                "-i", "testsrc=size=" + width + "x" + height + ":rate=25", "-frames:v", "1", "-pix_fmt", pixelFormat,
                "-c:v", "libx264", "-preset", "ultrafast", "-x264-params", x264Params, "-f", "h264", out.toString()));
        SequenceParameterSet sps = sps(Files.readAllBytes(out));
        assertEquals(width, sps.width());
        assertEquals(height, sps.height());
        assertEquals(!x264Params.contains("interlaced"), sps.frameMbsOnly());
    }

    @Test
    void emulationPreventionBytesAreNotPartOfTheFields() throws Exception {
        // Baseline 352x288 cropped to 336x280, with POC type 1 offsets large enough that their exp-Golomb
        // codes hold runs of zero bytes, which the NAL unit must escape with 03.
        Bits rbsp = new Bits().u(8, 0x67).u(8, 66).u(8, 0xC0).u(8, 30).ue(0).ue(0).ue(1).u(1, 0)
                .se(-(1 << 24)).se(0).ue(2).se(1 << 24).se(0).ue(1).u(1, 0).ue(21).ue(17).u(1, 1).u(1, 1)
                .u(1, 1).ue(0).ue(8).ue(0).ue(4).u(1, 0).u(1, 1);
        byte[] nal = rbsp.escaped();
        assertTrue(nal.length > rbsp.bytes().length, "the crafted SPS needs emulation prevention");

        SequenceParameterSet sps = SequenceParameterSet.parse(ByteBuffer.wrap(nal));

        assertEquals(336, sps.width());
        assertEquals(280, sps.height());
        assertEquals("42C01E", sps.profileLevelId());
    }

    @Test
    void profileLevelIdComesFromTheThreeBytesAfterTheHeader() throws Exception {
        assertEquals("42C01E", SequenceParameterSet.profileLevelId(ByteBuffer.wrap(AnnexBTest.sps())));
        assertEquals("42C01E", SequenceParameterSet.parse(ByteBuffer.wrap(AnnexBTest.sps())).profileLevelId());
    }

    @Test
    void aCutSpsGivesTheSameSizeOrAnRtpException() throws Exception {
        byte[] real = firstSps(TestClips.HIGH_720P.bytes());
        SequenceParameterSet whole = SequenceParameterSet.parse(ByteBuffer.wrap(real));
        int failures = 0;
        for (int length = 0; length < real.length; length++) {
            try {
                assertEquals(whole, SequenceParameterSet.parse(ByteBuffer.wrap(Arrays.copyOf(real, length))));
            } catch (RtpException e) {
                assertFalse(e.getMessage().isBlank());
                failures++;
            }
        }
        assertTrue(failures > 5, "cuts before the size fields fail: " + failures);
        assertThrows(RtpException.class, () -> SequenceParameterSet.parse(ByteBuffer.wrap(AnnexBTest.pps())));
        assertThrows(RtpException.class, () -> SequenceParameterSet.profileLevelId(ByteBuffer.wrap(AnnexBTest.pps())));
        byte[] zeros = new byte[16];
        zeros[0] = 0x67;
        assertThrows(RtpException.class, () -> SequenceParameterSet.parse(ByteBuffer.wrap(zeros)));
    }

    private static SequenceParameterSet sps(byte[] stream) throws RtpException {
        return SequenceParameterSet.parse(ByteBuffer.wrap(firstSps(stream)));
    }

    private static byte[] firstSps(byte[] stream) {
        return TestImages.bytes(AnnexB.parameterSets(ByteBuffer.wrap(stream)).get(0));
    }

    /** Writes an RBSP bit by bit, and escapes it as a NAL unit. */
    private static final class Bits {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private int current;
        private int count;

        Bits u(int n, long value) {
            for (int i = n - 1; i >= 0; i--) {
                current = (current << 1) | (int) ((value >>> i) & 1);
                if (++count == 8) {
                    out.write(current);
                    current = 0;
                    count = 0;
                }
            }
            return this;
        }

        Bits ue(long value) {
            long code = value + 1;
            int bits = 64 - Long.numberOfLeadingZeros(code);
            return u(bits - 1, 0).u(bits, code);
        }

        Bits se(long value) {
            return ue(value > 0 ? 2 * value - 1 : -2 * value);
        }

        byte[] bytes() {
            Bits copy = new Bits();
            byte[] whole = out.toByteArray();
            copy.out.writeBytes(whole);
            if (count > 0) {
                copy.out.write(current << (8 - count));
            }
            return copy.out.toByteArray();
        }

        byte[] escaped() {
            java.io.ByteArrayOutputStream nal = new java.io.ByteArrayOutputStream();
            int zeros = 0;
            for (byte b : bytes()) {
                if (zeros >= 2 && (b & 0xFF) <= 3) {
                    nal.write(3);
                    zeros = 0;
                }
                nal.write(b);
                zeros = b == 0 ? zeros + 1 : 0;
            }
            return nal.toByteArray();
        }
    }
}
