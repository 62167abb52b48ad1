package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tributary.rtsp.client.GstRtspServer;

/**
 * The viewer window on a real (virtual) display. The JVM running the tests has no display, and AWT reads
 * {@code DISPLAY} once at start, so each test starts {@link ViewerWindowDriver} in a JVM of its own on an Xvfb
 * this class starts and stops, and checks the {@code result} lines it prints.
 */
class ViewerWindowTest {

    /** How long the 1080p30 run plays; {@code -Dviewer.soak.seconds=60} for the measurement in the notes. */
    private static final int SOAK_SECONDS = Integer.getInteger("viewer.soak.seconds", 5);

    private static Xvfb xvfb;
    private static GstRtspServer live;
    private static GstRtspServer clip;

    @BeforeAll
    static void start() throws Exception {
        xvfb = Xvfb.start();
        live = GstRtspServer.start(GstRtspServer.LIVE_BARS);
        clip = GstRtspServer.start(GstRtspServer.jpegClip(TestMedia.positionClip()));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {clip, live, xvfb}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void theWindowShowsAMovingPicturePausesOnClickAndClosesCleanly() throws Exception {
        Map<String, String> r = drive("play", live.url());

        assertTrue(Double.parseDouble(r.get("nonBlack")) > 0.5, "screenshot after 2 s is mostly black: " + r);
        assertTrue(Integer.parseInt(r.get("colours")) > 5, "screenshot after 2 s has no picture: " + r);
        assertTrue(Double.parseDouble(r.get("changedPixels")) > 0.002, "the picture did not move in 1 s: " + r);
        assertEquals("PAUSED", r.get("stateAfterPause"), r.toString());
        assertTrue(Long.parseLong(r.get("picturesWhilePaused")) <= 1, r.toString());
        assertTrue(r.get("statusWhilePaused").startsWith("paused · UDP · 320x240"), r.toString());
        assertTrue(Long.parseLong(r.get("picturesAfterResume")) >= 15, r.toString());
        assertEquals("true", r.get("closed"));
        assertEquals("CLOSED", r.get("playerState"));
        assertEquals("", r.get("threadsLeft"), "threads left after the window closed");
    }

    @Test
    void movingTheSliderSeeks() throws Exception {
        Map<String, String> r = drive("seek", clip.url());

        assertTrue(r.get("slider").startsWith("true/"), "the slider is enabled for an on-demand clip: " + r);
        assertEquals(10.0, Integer.parseInt(r.get("slider").substring(5)) / 1000.0, 0.2, r.toString());
        assertEquals(6.0, Double.parseDouble(r.get("secondShown")), 1.0, "picture after seeking to 6 s: " + r);
        assertEquals(Double.parseDouble(r.get("secondShown")), Double.parseDouble(r.get("position")), 1.0,
                "the slider's position follows the picture: " + r);
    }

    @Test
    void errorsAreShownInTheWindow() throws Exception {
        Map<String, String> notFound = drive("error", live.url() + "-missing");
        assertTrue(notFound.get("message").startsWith("no stream at " + live.url() + "-missing (404"),
                notFound.toString());
        assertEquals("true", notFound.get("messageIsRed"), notFound.toString());

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> refused = drive("error", "rtsp://127.0.0.1:" + port + "/demo");
        assertTrue(refused.get("message").startsWith("cannot connect to 127.0.0.1:" + port), refused.toString());
    }

    @Test
    void theGogoCommandOpensWindowsAndDeactivationClosesThem() throws Exception {
        Map<String, String> r = drive("command", live.url());

        assertEquals("viewer opened for " + live.url() + " (UDP)", r.get("answer"));
        assertEquals("viewer opened for " + live.url() + " (TCP)", r.get("answerTwice"));
        assertEquals("2", r.get("windowsOpen"));
        assertTrue(Integer.parseInt(r.get("threadsWhileOpen")) > 0, r.toString());
        assertEquals("0", r.get("windowsAfterDeactivate"));
        assertEquals("0", r.get("displayableWindows"));
        assertEquals("", r.get("threadsLeft"));
    }

    @Test
    void a1080p30JpegStreamPlaysInTheWindow() throws Exception {
        List<Path> frames = TestMedia.jpegs1080pStandardTables(30);
        // A file source runs as fast as it reads: the pause after each frame makes it about 30 fps. (Stamping the
        // clock time on the frames instead gives the first one a time from before PLAY, and the server waits for it.)
        String launch = "( multifilesrc location=" + frames.get(0).getParent().resolve("f-%03d.jpg")
                + " index=1 loop=true caps=\"image/jpeg,framerate=30/1\" ! identity sleep-time=31000 ! jpegparse"
                + " ! rtpjpegpay name=pay0 pt=26 )";
        try (GstRtspServer full = GstRtspServer.start(launch)) {
            Map<String, String> r = drive("soak", full.url(), Integer.toString(SOAK_SECONDS));
            System.out.println("1080p30 for " + SOAK_SECONDS + " s: " + r);

            // How many frames arrive and how many the viewer drops to keep up depend on the machine: they are
            // printed above, not asserted. What must hold: the 1080p stream arrives and its pictures are decoded.
            assertEquals("1920x1080", r.get("size"), r.toString());
            assertTrue(Long.parseLong(r.get("received")) > 0, "frames received: " + r);
            assertTrue(Long.parseLong(r.get("decoded")) > 0, "pictures decoded: " + r);
        }
    }

    private static Map<String, String> drive(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ViewerWindowDriver.class.getName()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(Path.of("target"), "viewer-driver-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("DISPLAY", xvfb.display());
        Process p = pb.start();
        int timeout = 180 + SOAK_SECONDS;
        if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the viewer driver did not finish within " + timeout + " s:\n" + read(log));
        }
        String output = read(log);
        assertEquals(0, p.exitValue(), "the viewer driver failed:\n" + output);
        Map<String, String> results = new HashMap<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("result ")) {
                int eq = line.indexOf('=');
                results.put(line.substring(7, eq), line.substring(eq + 1));
            }
        }
        return results;
    }

    private static String read(Path log) throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
