package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A virtual X display for the window tests, on a display number Xvfb picks itself ({@code -displayfd}), so
 * tests never collide with a desktop or with each other. Fails (does not skip) without Xvfb:
 * scripts/install-deps.sh installs it.
 */
final class Xvfb implements AutoCloseable {

    private final Process process;
    private final String display;

    private Xvfb(Process process, String display) {
        this.process = process;
        this.display = display;
    }

    static Xvfb start() throws Exception {
        Path binary = Path.of("/usr/bin/Xvfb");
        assertTrue(Files.isExecutable(binary), "Xvfb is needed for the window tests (scripts/install-deps.sh)");
        Process p = new ProcessBuilder(binary.toString(), "-displayfd", "1", "-screen", "0", "1280x1024x24",
                "-nolisten", "tcp").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        String number = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        }).get(60, TimeUnit.SECONDS);
        if (number == null || !number.strip().matches("\\d+")) {
            p.destroyForcibly();
            throw new IllegalStateException("Xvfb did not say its display number: " + number);
        }
        return new Xvfb(p, ":" + number.strip());
    }

    /** The value for {@code DISPLAY}, e.g. {@code :1}. */
    String display() {
        return display;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
