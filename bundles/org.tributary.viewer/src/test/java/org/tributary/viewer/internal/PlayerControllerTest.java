package org.tributary.viewer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tributary.rtsp.client.GstRtspServer;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.viewer.PlayerController;
import org.tributary.viewer.PlayerState;
import org.tributary.viewer.PlayerStatistics;

/** The player without a window, against GStreamer's RTSP server: play, pause, seek, H.264, errors, clean close. */
class PlayerControllerTest {

    private static GstRtspServer live;
    private static GstRtspServer clip;

    @BeforeAll
    static void startServers() throws Exception {
        live = GstRtspServer.start(GstRtspServer.LIVE);
        clip = GstRtspServer.start(GstRtspServer.jpegClip(TestMedia.positionClip()));
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (live != null) {
            live.close();
        }
        if (clip != null) {
            clip.close();
        }
    }

    @Test
    void playsLiveJpegOverUdpAndDecodesOffTheReceiveThread() throws Exception {
        assertPlays(LowerTransport.UDP);
    }

    @Test
    void playsLiveJpegOverTcp() throws Exception {
        assertPlays(LowerTransport.TCP);
    }

    private static void assertPlays(LowerTransport transport) throws Exception {
        PictureRecorder recorder = new PictureRecorder();
        try (PlayerController player = new PlayerController(recorder)) {
            player.open(live.url(), transport);
            // More than a second of pictures, so the per-second figures have a full second behind them.
            assertTrue(recorder.awaitPictures(40, 60_000), "pictures: " + recorder.count());
            int shown = recorder.count();
            PlayerStatistics stats = player.statistics();

            assertEquals(PlayerState.PLAYING, player.state());
            assertEquals(transport, player.transport());
            assertTrue(player.duration().isEmpty(), "a live stream has no duration");
            assertEquals(320, recorder.pictures.get(0).picture().getWidth());
            assertEquals(240, recorder.pictures.get(0).picture().getHeight());
            assertTrue(recorder.pictures.stream().allMatch(s -> s.thread().startsWith("tributary-viewer-decode-")),
                    "decoded on the viewer's decode thread");
            // Whether the decoder kept up (no frame dropped) and how fast it decodes depend on the machine: they
            // are printed here and measured by tools/benchmarks' JpegDecodeBenchmark, not asserted.
            System.out.println(transport + ": " + stats);
            assertTrue(stats.decodedPictures() >= shown, stats + " vs " + shown);
            assertTrue(stats.receiver().framesPerSecond() > 0, stats.toString());
            assertTrue(stats.decodeMillis() > 0, stats.toString());
            assertEquals("ImageIO", stats.decoder());
            String line = StatusLine.format(player.state(), player.transport(), stats, player.position(),
                    player.duration());
            assertTrue(line.startsWith("playing · " + transport + " · 320x240 · "), line);
        }
    }

    @Test
    void pauseStopsThePicturesAndResumeBringsThemBack() throws Exception {
        PictureRecorder recorder = new PictureRecorder();
        try (PlayerController player = new PlayerController(recorder)) {
            player.open(live.url(), LowerTransport.UDP);
            assertTrue(recorder.awaitPictures(10, 60_000), "pictures: " + recorder.count());
            player.pause();
            assertEquals(PlayerState.PAUSED, player.state());
            int atPause = recorder.awaitQuiet(500, 30_000); // what was already on its way
            Thread.sleep(1000);
            int duringPause = recorder.count() - atPause;
            player.resume();
            // The live source goes on at 25 fps: 15 more pictures show it resumed (the bound only ends a hang).
            assertTrue(recorder.awaitPictures(atPause + duringPause + 15, 60_000), "pictures after resume: "
                    + (recorder.count() - atPause - duringPause));

            assertTrue(duringPause <= 1, "pictures while paused: " + duringPause);
            assertEquals(PlayerState.PLAYING, player.state());
        }
    }

    @Test
    void theDurationComesFromTheSdpAndASeekLandsWithinOneSecond() throws Exception {
        PictureRecorder recorder = new PictureRecorder();
        try (PlayerController player = new PlayerController(recorder)) {
            player.open(clip.url(), LowerTransport.UDP);
            assertTrue(player.duration().isPresent(), "an on-demand clip has a duration");
            assertEquals(10.0, player.duration().get().toMillis() / 1000.0, 0.2);
            assertTrue(recorder.awaitPictures(5, 60_000), "pictures: " + recorder.count());
            assertEquals(0, PictureRecorder.red(recorder.pictures.get(0).picture()), 12, "the clip starts at 0 s");

            for (int target : new int[] {6, 2}) {
                long asked = System.nanoTime();
                player.seek(Duration.ofSeconds(target));
                waitFor(() -> recorder.since(asked).size() >= 3, 60_000);
                List<PictureRecorder.Shown> after = recorder.since(asked);
                assertTrue(after.size() >= 3, "pictures after the seek to " + target + " s: " + after.size());
                double second = PictureRecorder.red(after.get(after.size() - 1).picture()) / 20.0;
                assertEquals(target, second, 1.0, "seek to " + target + " s shows second " + second);
                assertEquals(target, player.position().toMillis() / 1000.0, 1.0, "position " + player.position());
            }
        }
    }

    @Test
    void seekingALiveStreamIsRefused() throws Exception {
        try (PlayerController player = new PlayerController(new PictureRecorder())) {
            player.open(live.url(), LowerTransport.UDP);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> player.seek(Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("live"), e.getMessage());
        }
    }

    @Test
    void playsH264ThroughGStreamer() throws Exception {
        try (GstRtspServer h264 = GstRtspServer.start(GstRtspServer.h264Clip(TestMedia.h264Clip(320, 240)))) {
            PictureRecorder recorder = new PictureRecorder();
            try (PlayerController player = new PlayerController(recorder)) {
                player.open(h264.url(), LowerTransport.TCP);
                assertTrue(recorder.awaitPictures(50, 60_000), "pictures: " + recorder.count());
                PlayerStatistics stats = player.statistics();

                assertEquals(320, recorder.pictures.get(0).picture().getWidth());
                assertEquals("GStreamer avdec_h264", stats.decoder());
                assertTrue(stats.decodedPictures() >= 50, stats.toString());
                java.awt.image.BufferedImage first = recorder.pictures.get(0).picture();
                javax.imageio.ImageIO.write(first, "png", TestMedia.DIR.resolve("h264-first-picture.png").toFile());
                java.awt.image.BufferedImage reference = TestMedia.firstPicture(TestMedia.h264Clip(320, 240));
                double difference = JpegDecodersAgreeTest.meanDifference(first, reference);
                assertTrue(difference < 4, "the first picture differs from FFmpeg's decoding of the clip's first "
                        + "picture by " + difference + " per channel");
            }
        }
    }

    @Test
    void anUnknownStreamIsANotFoundMessage() throws Exception {
        PictureRecorder recorder = new PictureRecorder();
        try (PlayerController player = new PlayerController(recorder)) {
            IOException e = assertThrows(IOException.class, () -> player.open(live.url() + "-nope", LowerTransport.UDP));
            assertTrue(e.getMessage().startsWith("no stream at rtsp://127.0.0.1:"), e.getMessage());
            assertTrue(e.getMessage().contains("404"), e.getMessage());
            assertEquals(PlayerState.FAILED, player.state());
            assertTrue(recorder.states.get(recorder.states.size() - 1).startsWith("FAILED: no stream at"),
                    recorder.states.toString());
        }
    }

    @Test
    void aServerThatIsNotRunningIsAConnectionRefusedMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (PlayerController player = new PlayerController(new PictureRecorder())) {
            IOException e = assertThrows(IOException.class,
                    () -> player.open("rtsp://127.0.0.1:" + port + "/demo", LowerTransport.UDP));
            assertEquals("cannot connect to 127.0.0.1:" + port
                    + ": connection refused (is the server running, is the port right?)", e.getMessage());
        }
    }

    @Test
    void aServerAskingForCredentialsIsAnUnauthorizedMessage() throws Exception {
        try (GstRtspServer secured = GstRtspServer.start(GstRtspServer.LIVE, "basic", "viewer", "s3cret");
                PlayerController player = new PlayerController(new PictureRecorder())) {
            IOException e = assertThrows(IOException.class, () -> player.open(secured.url(), LowerTransport.UDP));
            assertTrue(e.getMessage().contains("401") && e.getMessage().contains("user:password@"), e.getMessage());

            player.open(secured.url("viewer:s3cret"), LowerTransport.UDP);
            assertEquals(PlayerState.PLAYING, player.state());
        }
    }

    @Test
    void aLostConnectionIsReportedAsFailed() throws Exception {
        GstRtspServer doomed = GstRtspServer.start(GstRtspServer.LIVE);
        PictureRecorder recorder = new PictureRecorder();
        try (PlayerController player = new PlayerController(recorder)) {
            player.open(doomed.url(), LowerTransport.TCP);
            assertTrue(recorder.awaitPictures(5, 60_000), "pictures: " + recorder.count());
            doomed.kill();
            waitFor(() -> player.state() == PlayerState.FAILED, 60_000);
            assertEquals(PlayerState.FAILED, player.state());
            assertTrue(recorder.states.get(recorder.states.size() - 1).contains("lost"), recorder.states.toString());
        } finally {
            doomed.close();
        }
    }

    @Test
    void stopAndCloseLeaveNoThreadBehind() throws Exception {
        PictureRecorder recorder = new PictureRecorder();
        PlayerController player = new PlayerController(recorder);
        for (LowerTransport transport : LowerTransport.values()) {
            player.open(live.url(), transport);
            assertTrue(recorder.awaitPictures(recorder.count() + 3, 60_000), "pictures: " + recorder.count());
            assertTrue(!threads().isEmpty());
            player.stop();
            assertEquals(PlayerState.IDLE, player.state());
            assertEquals(List.of(), threads(), transport + " left threads running");
        }
        player.open(live.url(), LowerTransport.UDP);
        player.close();
        assertEquals(PlayerState.CLOSED, player.state());
        assertEquals(List.of(), threads());
        int after = recorder.count();
        Thread.sleep(200);
        assertEquals(after, recorder.count(), "pictures after close");
        assertThrows(IllegalStateException.class, () -> player.open(live.url(), LowerTransport.UDP));
    }

    static List<String> threads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tributary-viewer-") || n.startsWith("tributary-rtsp-client-")).toList();
    }

    static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
    }
}
