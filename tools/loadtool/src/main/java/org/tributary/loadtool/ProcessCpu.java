package org.tributary.loadtool;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a Linux process has used, from {@code /proc/PID/stat}: user plus system time, all threads.
 * Stateless apart from the clock tick rate, read once.
 */
final class ProcessCpu {

    private final long ticksPerSecond;

    ProcessCpu() {
        ticksPerSecond = clockTicks();
    }

    /** The CPU seconds process {@code pid} ({@code "self"} for this JVM) has used so far. */
    double seconds(String pid) throws IOException {
        return ticks(Files.readString(Path.of("/proc", pid, "stat"), StandardCharsets.US_ASCII))
                / (double) ticksPerSecond;
    }

    /**
     * utime + stime in clock ticks from one {@code /proc/PID/stat} line. The command name in parentheses may
     * hold spaces and parentheses itself, so fields are counted from the last {@code ')'}.
     */
    static long ticks(String stat) throws IOException {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("unexpected /proc stat format: " + stat);
        }
        // After ")": field 3 (state) is index 0, so utime (field 14) is index 11 and stime (15) index 12.
        String[] fields = stat.substring(close + 1).strip().split("\\s+");
        if (fields.length < 13) {
            throw new IOException("unexpected /proc stat format: " + stat);
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** {@code getconf CLK_TCK}; 100, the value on every common Linux build, when that cannot run. */
    private static long clockTicks() {
        try {
            Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (process.waitFor() == 0) {
                return Long.parseLong(out);
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through to the default.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
