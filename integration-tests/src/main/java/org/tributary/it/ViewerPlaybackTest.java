package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.Sessions;
import org.tributary.rtsp.client.LowerTransport;
import org.tributary.rtsp.client.ReceivedFrame;
import org.tributary.viewer.PlayerController;
import org.tributary.viewer.PlayerListener;
import org.tributary.viewer.PlayerState;
import org.tributary.viewer.PlayerStatistics;

/**
 * The viewer's player (the window without Swing) against Tributary's own server, over UDP and TCP: the pictures
 * are the file's frames in order, Pause makes the server's session paused and stops the frames, a seek lands
 * within a second of the position asked for, and closing ends the server's session.
 */
class ViewerPlaybackTest {

    private static final double FRAME_RATE = 25;
    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    static TributaryRuntime runtime;
    static List<byte[]> source;

    @BeforeAll
    static void start() throws Exception {
        runtime = TributaryRuntime.get();
        runtime.awaitStream("movie.Mjpeg", Duration.ofSeconds(30));
        source = Media.labFrames(Media.directory(runtime.context()).resolve(Path.of("movie.Mjpeg")));
    }

    /** Keeps the index in the file of every frame shown. */
    static final class Shown implements PlayerListener {
        final List<Integer> indices = new CopyOnWriteArrayList<>();
        final List<String> problems = new CopyOnWriteArrayList<>();

        @Override
        public void onPicture(BufferedImage picture, ReceivedFrame frame) {
            try {
                int index = Media.indexOf(source, frame.toByteArray());
                if (index < 0 || picture.getWidth() != 320 || picture.getHeight() != 240) {
                    problems.add("a picture not from the file (" + picture.getWidth() + "x" + picture.getHeight() + ")");
                }
                indices.add(index);
            } catch (Exception e) {
                problems.add(e.toString());
            }
        }

        int count() {
            return indices.size();
        }

        int last() {
            return indices.get(indices.size() - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(LowerTransport.class)
    void thePicturesAreTheFilesFramesInOrder(LowerTransport transport) throws Exception {
        Shown shown = new Shown();
        try (PlayerController player = new PlayerController(shown)) {
            player.open(runtime.url("movie.Mjpeg"), transport);
            await(() -> shown.count() >= 50, PATIENCE, "50 pictures shown");

            assertEquals(transport, player.transport());
            assertEquals(source.size() / FRAME_RATE, player.duration().orElseThrow().toMillis() / 1000.0, 0.1);
            assertTrue(shown.problems.isEmpty(), shown.problems.toString());
            List<Integer> indices = new ArrayList<>(shown.indices);
            PlayerStatistics stats = player.statistics();
            assertEquals(0, indices.get(0), "playing starts at the first frame");
            // A player whose decoding falls behind (a busy machine) skips frames and counts them; none is shown
            // twice or out of order, and none goes missing unaccounted.
            int skipped = 0;
            for (int i = 1; i < indices.size(); i++) {
                assertTrue(indices.get(i) > indices.get(i - 1), "frame after " + indices.get(i - 1) + ": "
                        + indices.get(i));
                skipped += indices.get(i) - indices.get(i - 1) - 1;
            }
            assertTrue(skipped <= stats.droppedFrames() + stats.receiver().droppedFrames(), skipped
                    + " frames not shown, more than the player counted as dropped: " + stats);
        }
    }

    @ParameterizedTest
    @EnumSource(LowerTransport.class)
    void pauseMakesTheServersSessionPausedAndStopsTheFrames(LowerTransport transport) throws Exception {
        Shown shown = new Shown();
        try (PlayerController player = new PlayerController(shown)) {
            player.open(runtime.url("movie.Mjpeg"), transport);
            await(() -> shown.count() >= 10, PATIENCE, "10 pictures shown");
            assertEquals(SessionState.PLAYING, session(player.sessionId()).orElseThrow().state());

            player.pause();
            assertEquals(PlayerState.PAUSED, player.state());
            assertEquals(SessionState.READY, session(player.sessionId()).orElseThrow().state(),
                    "the server's session after PAUSE");
            // Once no picture came for a second, those on their way at the pause have been shown.
            awaitQuiet(shown);
            int atPause = shown.count();
            long packetsAtPause = player.statistics().receiver().packets();
            Thread.sleep(1000);
            assertEquals(atPause, shown.count(), "pictures while paused");
            assertEquals(packetsAtPause, player.statistics().receiver().packets(), "packets while paused");

            int lastBeforePause = shown.last();
            player.resume();
            await(() -> shown.count() >= atPause + 10, PATIENCE, "10 pictures after resuming");
            assertEquals(SessionState.PLAYING, session(player.sessionId()).orElseThrow().state());
            assertEquals(lastBeforePause + 1, shown.indices.get(atPause), "resume goes on where it paused");
        }
    }

    @ParameterizedTest
    @EnumSource(LowerTransport.class)
    void aSeekLandsWithinOneSecondOfThePositionAsked(LowerTransport transport) throws Exception {
        Shown shown = new Shown();
        try (PlayerController player = new PlayerController(shown)) {
            player.open(runtime.url("movie.Mjpeg"), transport);
            await(() -> shown.count() >= 5, PATIENCE, "5 pictures shown");
            for (double target : new double[] {7.0, 2.5}) {
                int before = shown.count();
                int from = shown.last();
                player.seek(Duration.ofMillis((long) (target * 1000)));
                // Frames sent before the seek may still arrive; the first from the new position starts a jump.
                await(() -> shown.indices.subList(before, shown.count()).stream()
                        .anyMatch(i -> Math.abs(i / FRAME_RATE - target) <= 1.0 && Math.abs(i - from) > 1),
                        PATIENCE, "a picture within 1 s of " + target + " s after the seek from frame " + from);
                // The position is that of the pictures now shown, whenever the test looks.
                int shownBefore = shown.last();
                double position = player.position().toMillis() / 1000.0;
                int shownAfter = shown.last();
                assertTrue(position >= shownBefore / FRAME_RATE - 1.0 && position <= shownAfter / FRAME_RATE + 1.0,
                        "the player's position " + position + " s, showing frames " + shownBefore + " to "
                                + shownAfter);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(LowerTransport.class)
    void closingThePlayerEndsTheServersSession(LowerTransport transport) throws Exception {
        Shown shown = new Shown();
        String id;
        try (PlayerController player = new PlayerController(shown)) {
            player.open(runtime.url("demo"), transport);
            await(() -> shown.count() >= 3, PATIENCE, "3 pictures shown");
            id = player.sessionId();
            assertTrue(session(id).isPresent());
        }
        await(() -> session(id).isEmpty(), PATIENCE, "the session gone after TEARDOWN");
        assertTrue(session(id).isEmpty(), "the session is gone after TEARDOWN");
        assertEquals(List.of(), Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("tributary-viewer-")).toList());
    }

    private static Optional<SessionInfo> session(String id) {
        ServiceTracker<Sessions, Sessions> tracker = new ServiceTracker<>(runtime.context(), Sessions.class, null);
        tracker.open();
        try {
            Sessions sessions = tracker.waitForService(10_000);
            if (sessions == null) {
                throw new AssertionError("no Sessions service");
            }
            return sessions.list().stream().filter(s -> s.id().equals(id)).findFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls until the condition holds; fails after the timeout. */
    private static void await(Condition condition, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Waits until no picture has come for a second. */
    private static void awaitQuiet(Shown shown) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        int count = shown.count();
        while (true) {
            Thread.sleep(1000);
            if (shown.count() == count) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pictures keep coming after the pause");
            }
            count = shown.count();
        }
    }
}
