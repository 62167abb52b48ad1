package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Component;
import java.awt.Container;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.swing.JButton;
import javax.swing.JSlider;
import javax.swing.SwingUtilities;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.SessionInfo;
import org.tributary.api.SessionState;
import org.tributary.api.Sessions;

/**
 * The viewer window, opened with the Gogo command {@code view} inside the runtime, plays the demo stream on a
 * real X display (Xvfb, started by scripts/test.sh): the picture shows and moves, Pause pauses the server's
 * session and the picture, the slider seeks back.
 */
class ViewerWindowTest {

    static TributaryRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        assertTrue(System.getenv("DISPLAY") != null && !GraphicsEnvironment.isHeadless(),
                "an X display is needed: run the tests through scripts/test.sh, which starts Xvfb");
        runtime = TributaryRuntime.get();
        runtime.install("org.tributary.viewer");
    }

    /** Bounds a hang only: a busy machine takes as long as it needs within it. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void theViewerPlaysTheDemoPausesItsSessionAndSeeksWithTheSlider() throws Exception {
        java.util.Set<String> before = sessionIds();
        String answer = gogo("tributary:view " + runtime.url("demo"));
        Window window = awaitWindow("viewer", PATIENCE);
        assertNotNull(window, "a viewer window opened; the command said: " + answer);

        Component video = findByType(window, "VideoPanel");
        assertNotNull(video, "the window shows a picture panel");
        BufferedImage first = await(() -> {
            BufferedImage shot = screenshot(video);
            return variance(shot) > 100 ? shot : null;
        }, "the picture is not blank");
        await(() -> difference(first, screenshot(video)) > 0.5 ? Boolean.TRUE : null, "the picture moves");

        click(window, "pause");
        await(() -> viewerSession(before).state() == SessionState.READY ? Boolean.TRUE : null,
                "the server's session is paused");
        // Once a picture stays for a second, pictures on their way at the pause have been shown; from then on
        // nothing changes.
        BufferedImage paused = await(() -> {
            BufferedImage shot = screenshot(video);
            Thread.sleep(1000);
            return difference(shot, screenshot(video)) < 0.5 ? shot : null;
        }, "the picture stops while paused");
        Thread.sleep(1000);
        assertTrue(difference(paused, screenshot(video)) < 0.5, "no new picture while paused");
        assertEquals(SessionState.READY, viewerSession(before).state(), "the server's session stays paused");

        click(window, "play");
        await(() -> viewerSession(before).state() == SessionState.PLAYING ? Boolean.TRUE : null,
                "the server's session plays again");
        JSlider seek = find(window, "seek", JSlider.class);
        // The slider follows the position; a seek back from 5 s or later to 1.5 s shows as a position no playing
        // on reaches (the looping demo's position grows past its end, where the slider stays at its maximum).
        await(() -> slider(seek) >= 5000 ? Boolean.TRUE : null, "the position reaches 5 s");
        SwingUtilities.invokeAndWait(() -> seek.setValue(1500));
        // Until the window next follows the player, the slider shows what the test set, 1500 exactly.
        await(() -> {
            int at = slider(seek);
            return at != 1500 && at >= 1000 && at < 4500 ? at : null;
        }, "after seeking back to 1.5 s the player's position is between 1 s and 4.5 s");
        assertEquals(SessionState.PLAYING, viewerSession(before).state());

        SwingUtilities.invokeAndWait(window::dispose);
    }

    private static int slider(JSlider slider) throws Exception {
        AtomicReference<Integer> value = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> value.set(slider.getValue()));
        return value.get();
    }

    private interface Probe<T> {
        /** The value, or null while it is not there yet. */
        T get() throws Exception;
    }

    /** Polls until the probe gives a value; fails after {@link #PATIENCE}. */
    private static <T> T await(Probe<T> probe, String what) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + PATIENCE);
            }
            Thread.sleep(100);
        }
    }

    private static List<SessionInfo> sessions() throws InterruptedException {
        ServiceTracker<Sessions, Sessions> tracker = new ServiceTracker<>(runtime.context(), Sessions.class, null);
        tracker.open();
        try {
            return tracker.waitForService(30_000).list();
        } finally {
            tracker.close();
        }
    }

    private static java.util.Set<String> sessionIds() throws InterruptedException {
        return sessions().stream().map(SessionInfo::id).collect(java.util.stream.Collectors.toSet());
    }

    /** The session the viewer opened: the one on the demo that was not there before. */
    private static SessionInfo viewerSession(java.util.Set<String> before) throws InterruptedException {
        List<SessionInfo> added = sessions().stream()
                .filter(s -> s.stream().equals("demo") && !before.contains(s.id())).toList();
        assertEquals(1, added.size(), "the viewer's session: " + added);
        return added.get(0);
    }

    private static String gogo(String command) throws Exception {
        ServiceTracker<CommandProcessor, CommandProcessor> tracker =
                new ServiceTracker<>(runtime.context(), CommandProcessor.class, null);
        tracker.open();
        try {
            CommandProcessor processor = tracker.waitForService(30_000);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (true) {
                try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print,
                        print)) {
                    Object result = session.execute(command);
                    return out.toString(StandardCharsets.UTF_8) + (result == null ? "" : result);
                } catch (IllegalArgumentException e) {
                    // The command is not registered yet while the viewer bundle starts.
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
        } finally {
            tracker.close();
        }
    }

    private static Window awaitWindow(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Window w : Window.getWindows()) {
                if (name.equals(w.getName()) && w.isShowing()) {
                    return w;
                }
            }
            Thread.sleep(100);
        }
        return null;
    }

    private static void click(Window window, String name) throws Exception {
        JButton button = find(window, name, JButton.class);
        SwingUtilities.invokeAndWait(button::doClick);
    }

    private static <T extends Component> T find(Container root, String name, Class<T> type) {
        for (Component c : root.getComponents()) {
            if (type.isInstance(c) && name.equals(c.getName())) {
                return type.cast(c);
            }
            if (c instanceof Container child) {
                T found = find(child, name, type);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Component findByType(Container root, String simpleName) {
        for (Component c : root.getComponents()) {
            if (c.getClass().getSimpleName().equals(simpleName)) {
                return c;
            }
            if (c instanceof Container child) {
                Component found = findByType(child, simpleName);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** What the screen shows where the component is. */
    private static BufferedImage screenshot(Component component) throws Exception {
        AtomicReference<Rectangle> bounds = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> bounds.set(new Rectangle(component.getLocationOnScreen(),
                component.getSize())));
        return new Robot().createScreenCapture(bounds.get());
    }

    private static double variance(BufferedImage image) {
        double sum = 0;
        double sq = 0;
        int n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int g = (image.getRGB(x, y) >> 8) & 0xFF;
                sum += g;
                sq += g * g;
                n++;
            }
        }
        double mean = sum / n;
        return sq / n - mean * mean;
    }

    /** Mean absolute difference of the green channel, 0 to 255. */
    private static double difference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y += 2) {
            for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x += 2) {
                sum += Math.abs(((a.getRGB(x, y) >> 8) & 0xFF) - ((b.getRGB(x, y) >> 8) & 0xFF));
                n++;
            }
        }
        return sum / n;
    }
}
