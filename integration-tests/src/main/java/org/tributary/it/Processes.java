package org.tributary.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs real client programs (ffmpeg, ffprobe, gst-launch-1.0) and keeps what they printed. */
public final class Processes {

    /** What a finished program left behind. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * The receive buffer to give FFmpeg ({@code -buffer_size}) and GStreamer's rtspsrc ({@code udp-buffer-size})
     * when they receive RTP over UDP: the server sends each frame's packets back to back and the frames at the
     * stream's rate, and 4 MB (as far as net.core.rmem_max allows) holds far more than a frame, so the kernel
     * drops nothing while a client on a busy machine waits for the CPU.
     */
    public static final String UDP_RECEIVE_BUFFER = "4194304";

    private Processes() {
    }

    /** Runs the command to its end; kills it and fails after the timeout. */
    public static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tributary-it-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + tail(Files.readString(log, StandardCharsets.UTF_8)));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(timeout, List.of(command));
    }

    /** The last lines of a long output, for assertion messages. */
    public static String tail(String output) {
        return output.length() <= 4000 ? output : "..." + output.substring(output.length() - 4000);
    }
}
