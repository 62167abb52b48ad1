package org.tributary.rtsp.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.tributary.rtp.h264.AnnexB;
import org.tributary.rtp.h264.NalUnit;

/**
 * A real H.264 clip for the client's tests: 2 s of FFmpeg's test pattern, 320x240 at 25 fps, constrained
 * baseline by x264 with an IDR every 25 pictures, made once per build in {@code target/}.
 */
public final class H264Clip {

    public static final int PICTURES = 50;

    private static final Path FILE = Path.of("target", "h264-clips", "client-320x240.h264");
    private static final Path MATROSKA = Path.of("target", "h264-clips", "client-320x240.mkv");

    private H264Clip() {
    }

    /** The clip as an Annex B byte stream. */
    public static synchronized Path file() throws IOException, InterruptedException {
        if (!Files.isRegularFile(FILE) || Files.size(FILE) == 0) {
            Path partial = FILE.resolveSibling("client-320x240.partial");
            ffmpeg("-i", matroska().toString(), "-c:v", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264",
                    partial.toString());
            Files.move(partial, FILE, StandardCopyOption.REPLACE_EXISTING);
        }
        return FILE.toAbsolutePath();
    }

    /**
     * The same pictures in Matroska, where each carries its timestamp (a server reading the bare byte stream
     * would have none to send) and the parameter sets are out of band.
     */
    public static synchronized Path matroska() throws IOException, InterruptedException {
        if (!Files.isRegularFile(MATROSKA) || Files.size(MATROSKA) == 0) {
            Files.createDirectories(MATROSKA.getParent());
            Path partial = MATROSKA.resolveSibling("client-320x240.partial.mkv");
            ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-frames:v", Integer.toString(PICTURES),
                    "-pix_fmt", "yuv420p", "-c:v", "libx264", "-profile:v", "baseline", "-g", "25",
                    partial.toString());
            Files.move(partial, MATROSKA, StandardCopyOption.REPLACE_EXISTING);
        }
        return MATROSKA.toAbsolutePath();
    }

    private static void ffmpeg(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("/usr/bin/ffmpeg", "-hide_banner", "-loglevel",
                "error", "-nostdin", "-y"));
        command.addAll(List.of(arguments));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ffmpeg timed out");
        assertEquals(0, p.exitValue(), "ffmpeg failed: " + output);
    }

    /** The clip's access units, in Annex B form. */
    public static List<ByteBuffer> accessUnits() throws IOException, InterruptedException {
        return AnnexB.accessUnits(ByteBuffer.wrap(Files.readAllBytes(file())));
    }

    /** The coded slices of an access unit: the picture itself, whatever parameter sets travel with it. */
    public static List<ByteBuffer> slices(ByteBuffer accessUnit) {
        return AnnexB.nalUnits(accessUnit).stream().filter(nal -> NalUnit.isSlice(NalUnit.type(nal))).toList();
    }

    /** The NAL unit types of an access unit, in order. */
    public static List<Integer> types(ByteBuffer accessUnit) {
        return AnnexB.nalUnits(accessUnit).stream().map(NalUnit::type).toList();
    }
}
