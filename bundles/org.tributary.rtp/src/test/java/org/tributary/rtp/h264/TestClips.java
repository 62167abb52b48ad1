package org.tributary.rtp.h264;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.tributary.api.Codec;
import org.tributary.api.Frame;
import org.tributary.rtp.jpeg.TestImages;

/**
 * Real H.264 for tests: 3 s (90 pictures, an IDR every 30) of a test pattern, encoded at test time by x264
 * through FFmpeg and through GStreamer, each clip made once per build into {@code target/h264-clips}.
 */
enum TestClips {
    /** Constrained baseline 640x480, one slice per picture. */
    BASELINE("ffmpeg", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=30", "-t", "3", "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-profile:v", "baseline", "-g", "30"),
    /** Constrained baseline 640x480 with slices of at most 1000 bytes: many slices per picture. */
    MULTI_SLICE("ffmpeg", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=30", "-t", "3", "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-profile:v", "baseline", "-g", "30", "-x264-params", "slice-max-size=1000"),
    /** High profile 1280x720 with a fixed noise pattern: IDRs of about 100 kB, small P pictures. */
    HIGH_720P("ffmpeg", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-t", "3", "-vf",
            "noise=alls=12:allf=u", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "veryfast", "-profile:v",
            "high", "-g", "30", "-crf", "18"),
    /** GStreamer's x264enc as the classic camera pipeline runs it (High profile, AUDs, SPS/PPS per IDR). */
    GSTREAMER("gst", "videotestsrc", "num-buffers=90", "!", "video/x-raw,format=I420,width=640,height=480,"
            + "framerate=30/1", "!", "x264enc", "tune=zerolatency", "key-int-max=30", "!",
            "video/x-h264,stream-format=byte-stream");

    static final Path DIR = Path.of("target", "h264-clips");
    static final int PICTURES = 90;
    static final long FRAME_NANOS = 1_000_000_000L / 30;

    private final String tool;
    private final List<String> arguments;
    private byte[] bytes;

    TestClips(String tool, String... arguments) {
        this.tool = tool;
        this.arguments = List.of(arguments);
    }

    /** The clip's Annex B byte stream. */
    synchronized byte[] bytes() throws IOException, InterruptedException {
        if (bytes == null) {
            Path file = file();
            bytes = Files.readAllBytes(file);
        }
        return bytes;
    }

    /** The clip as a file, made on first use. */
    synchronized Path file() throws IOException, InterruptedException {
        Files.createDirectories(DIR);
        Path file = DIR.resolve(name().toLowerCase() + ".h264");
        if (Files.isRegularFile(file) && Files.size(file) > 0) {
            return file;
        }
        Path partial = DIR.resolve(name().toLowerCase() + ".partial");
        List<String> command = new ArrayList<>();
        if (tool.equals("ffmpeg")) {
            command.addAll(List.of(TestImages.FFMPEG, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"));
            command.addAll(arguments);
            command.addAll(List.of("-bsf:v", "h264_mp4toannexb", "-f", "h264", partial.toString()));
        } else {
            command.addAll(List.of("gst-launch-1.0", "-q"));
            command.addAll(arguments);
            command.addAll(List.of("!", "filesink", "location=" + partial));
        }
        run(command);
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** The clip's access units as frames 1/30 s apart, keyframe when they hold an IDR slice. */
    List<Frame> frames() throws IOException, InterruptedException {
        List<Frame> frames = new ArrayList<>();
        for (ByteBuffer au : AnnexB.accessUnits(ByteBuffer.wrap(bytes()))) {
            frames.add(new Frame(Codec.H264, frames.size(), frames.size() * FRAME_NANOS, AnnexB.containsIdr(au), au));
        }
        return frames;
    }

    static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command.get(0) + " timed out");
        assertEquals(0, p.exitValue(), () -> command + " failed: " + new String(output, StandardCharsets.UTF_8));
    }
}
