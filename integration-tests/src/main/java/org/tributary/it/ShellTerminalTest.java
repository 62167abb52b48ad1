package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.FrameworkUtil;

/**
 * The runtime's {@code g!} prompt on a real terminal (a tmux pane) has line editing: the up arrow brings back the
 * last command. Needs tmux (scripts/install-deps.sh installs it).
 */
class ShellTerminalTest {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @Test
    void upArrowRecallsTheLastCommand(@TempDir Path dir) throws Exception {
        assertTrue(Processes.run(Duration.ofSeconds(10), "sh", "-c", "command -v tmux").ok(),
                "tmux is installed (scripts/install-deps.sh)");
        String jar = FrameworkUtil.getBundle(ShellTerminalTest.class).getBundleContext()
                .getProperty("tributary.runtime.jar");
        Path home = Path.of(jar).toAbsolutePath().getParent();
        Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(dir.resolve("deploy/org.tributary.transport.udp.cfg"), "rtpPort=0\n");
        String session = "tributary-it-" + ProcessHandle.current().pid();
        String command = "cd '" + dir + "' && exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Dtributary.home='" + home + "' -Dtributary.rtsp.port=" + TributaryRuntime.freeTcpPort()
                + " -Dtributary.http.port=" + TributaryRuntime.freeTcpPort() + " -Dtributary.stream=false -jar '" + jar
                + "' 2>runtime.log";
        assertEquals(0, Processes.run(Duration.ofSeconds(20), List.of("tmux", "new-session", "-d", "-s", session,
                "-x", "160", "-y", "50", command)).exitCode());
        try {
            awaitPane(session, "g!");
            tmux("send-keys", "-t", session, "echo recalled-42", "Enter");
            awaitOutputLines(session, 1);
            tmux("send-keys", "-t", session, "Up");
            Thread.sleep(500);
            tmux("send-keys", "-t", session, "Enter");
            awaitOutputLines(session, 2);
            assertFalse(Files.readString(dir.resolve("runtime.log")).contains("Unable to create a system terminal"),
                    Files.readString(dir.resolve("runtime.log")));
        } finally {
            Processes.run(Duration.ofSeconds(20), "tmux", "kill-session", "-t", session);
        }
    }

    /** Waits until the pane shows the output line {@code recalled-42} (not the command) {@code count} times. */
    private static void awaitOutputLines(String session, int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (pane(session).lines().filter(l -> l.strip().equals("recalled-42")).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'recalled-42' was not printed " + count + " times (the up arrow runs the "
                        + "last command again):\n" + pane(session));
            }
            Thread.sleep(200);
        }
    }

    private static void tmux(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Processes.Result r = Processes.run(Duration.ofSeconds(20), command);
        if (!r.ok()) {
            throw new AssertionError(String.join(" ", command) + ": " + r.output());
        }
    }

    private static String pane(String session) throws Exception {
        return Processes.run(Duration.ofSeconds(20), "tmux", "capture-pane", "-p", "-t", session).output();
    }

    private static void awaitPane(String session, String text) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!pane(session).contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("'" + text + "' did not appear:\n" + pane(session));
            }
            Thread.sleep(200);
        }
    }
}
