package org.tributary.viewer.internal;

import java.awt.Color;
import java.awt.Component;
import java.awt.Container;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import javax.imageio.ImageIO;
import javax.swing.JLabel;
import javax.swing.JSlider;
import javax.swing.SwingUtilities;

import org.tributary.rtsp.client.LowerTransport;
import org.tributary.viewer.PlayerController;
import org.tributary.viewer.PlayerState;
import org.tributary.viewer.PlayerStatistics;

/**
 * Runs in a JVM of its own with {@code DISPLAY} set to an Xvfb (see {@link ViewerWindowTest}): opens the viewer
 * window, acts on it as a person would (mouse clicks with {@link Robot}, screenshots) and prints what it saw as
 * {@code result KEY=VALUE} lines for the test to check. Screenshots go to {@code target/screenshots}.
 *
 * <p>usage: ViewerWindowDriver SCENARIO URL [seconds]
 */
public final class ViewerWindowDriver {

    private static final Path SHOTS = Path.of("target", "screenshots");

    private ViewerWindowDriver() {
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(SHOTS);
        String scenario = args[0];
        String url = args[1];
        switch (scenario) {
            case "play" -> play(url);
            case "seek" -> seek(url);
            case "error" -> error(url);
            case "command" -> command(url);
            case "soak" -> soak(url, Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(scenario);
        }
        System.exit(0);
    }

    /** Plays, takes two screenshots a second apart, pauses and resumes with the mouse, closes the window. */
    private static void play(String url) throws Exception {
        ViewerWindow window = ViewerWindow.open(url, LowerTransport.UDP, true, 1, null);
        PlayerController player = window.player();
        Robot robot = new Robot();
        // Screenshots once pictures are shown, and again 25 pictures (a second of the stream) later.
        awaitDecoded(player, 10);
        BufferedImage first = screenshot(robot, window.video(), "play-2s");
        awaitDecoded(player, player.statistics().decodedPictures() + 25);
        BufferedImage second = screenshot(robot, window.video(), "play-3s");
        screenshot(robot, window.frame(), "play-window");
        result("nonBlack", String.format(Locale.ROOT, "%.3f", nonBlack(first)));
        result("colours", Integer.toString(colours(first)));
        result("changedPixels", String.format(Locale.ROOT, "%.4f", changed(first, second)));

        click(robot, window, "pause");
        waitFor(() -> player.state() == PlayerState.PAUSED, 60_000);
        result("stateAfterPause", player.state().name());
        result("sessionId", String.valueOf(player.sessionId()));
        long atPause = awaitQuiet(player, 500); // what was already on its way
        Thread.sleep(1000);
        result("picturesWhilePaused", Long.toString(player.statistics().decodedPictures() - atPause));
        result("statusWhilePaused", label(window, "status"));

        click(robot, window, "play");
        waitFor(() -> player.state() == PlayerState.PLAYING, 60_000);
        long atResume = player.statistics().decodedPictures();
        // The live source goes on at 25 fps: 15 more pictures show it resumed (the bound only ends a hang).
        awaitDecoded(player, atResume + 15);
        result("picturesAfterResume", Long.toString(player.statistics().decodedPictures() - atResume));

        SwingUtilities.invokeAndWait(() -> window.frame().dispatchEvent(
                new WindowEvent(window.frame(), WindowEvent.WINDOW_CLOSING)));
        waitFor(window::isClosed, 60_000);
        waitFor(() -> PlayerControllerTest.threads().isEmpty(), 30_000);
        result("closed", Boolean.toString(window.isClosed()));
        result("playerState", player.state().name());
        result("threadsLeft", String.join(",", PlayerControllerTest.threads()));
    }

    /** Moves the slider of an on-demand clip and reads the position from the picture (red = 20 × second). */
    private static void seek(String url) throws Exception {
        ViewerWindow window = ViewerWindow.open(url, LowerTransport.UDP, true, 1, null);
        PlayerController player = window.player();
        Robot robot = new Robot();
        waitFor(() -> player.state() == PlayerState.PLAYING, 60_000);
        awaitDecoded(player, 10);
        JSlider slider = (JSlider) find(window.frame(), "seek");
        AtomicReference<String> sliderState = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> sliderState.set(slider.isEnabled() + "/" + slider.getMaximum()));
        result("slider", sliderState.get());
        long beforeSeek = player.statistics().decodedPictures();
        SwingUtilities.invokeAndWait(() -> slider.setValue(6000));
        // Pictures from after the seek: the position has moved past 4 s, and a few have been decoded since.
        waitFor(() -> player.position().toMillis() >= 4000
                && player.statistics().decodedPictures() >= beforeSeek + 5, 60_000);
        awaitDecoded(player, player.statistics().decodedPictures() + 3);
        SwingUtilities.invokeAndWait(() -> { }); // the last picture painted
        BufferedImage shot = screenshot(robot, window.video(), "seek-6s");
        int red = (shot.getRGB(shot.getWidth() / 2, shot.getHeight() / 2) >> 16) & 0xFF;
        result("secondShown", String.format(Locale.ROOT, "%.2f", red / 20.0));
        result("position", String.format(Locale.ROOT, "%.2f", player.position().toMillis() / 1000.0));
        window.close();
    }

    /** Opens a URL that fails and reads the window's message line. */
    private static void error(String url) throws Exception {
        ViewerWindow window = ViewerWindow.open(url, LowerTransport.UDP, true, 1, null);
        waitFor(() -> window.player().state() == PlayerState.FAILED, 60_000);
        waitFor(() -> !labelText(window, "message").isBlank(), 30_000);
        JLabel message = (JLabel) find(window.frame(), "message");
        AtomicReference<Color> colour = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> colour.set(message.getForeground()));
        screenshot(new Robot(), window.frame(), "error-window");
        result("message", label(window, "message"));
        result("messageIsRed", Boolean.toString(colour.get().getRed() > 150 && colour.get().getGreen() < 80));
        window.close();
    }

    /** The Gogo command's component: {@code view URL} opens a window, deactivating it closes every one. */
    private static void command(String url) throws Exception {
        ViewCommand command = new ViewCommand(1);
        result("answer", command.open("udp", url));
        result("answerTwice", command.open("tcp", url));
        waitFor(() -> command.windows() == 2 && !PlayerControllerTest.threads().isEmpty(), 60_000);
        result("windowsOpen", Integer.toString(command.windows()));
        result("threadsWhileOpen", Integer.toString(PlayerControllerTest.threads().size()));
        command.deactivate();
        waitFor(() -> command.windows() == 0 && PlayerControllerTest.threads().isEmpty(), 30_000);
        SwingUtilities.invokeAndWait(() -> { }); // windows disposed on the event thread
        AtomicReference<Integer> showing = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            int n = 0;
            for (Window w : Window.getWindows()) {
                n += w.isDisplayable() ? 1 : 0;
            }
            showing.set(n);
        });
        result("windowsAfterDeactivate", Integer.toString(command.windows()));
        result("displayableWindows", Integer.toString(showing.get()));
        result("threadsLeft", String.join(",", PlayerControllerTest.threads()));
    }

    /** Plays for a while and reports what the viewer decoded and dropped. */
    private static void soak(String url, int seconds) throws Exception {
        ViewerWindow window = ViewerWindow.open(url, LowerTransport.UDP, true, 1, null);
        PlayerController player = window.player();
        waitFor(() -> player.statistics().decodedPictures() > 0, 60_000);
        PlayerStatistics start = player.statistics();
        Thread.sleep(Duration.ofSeconds(seconds).toMillis());
        PlayerStatistics end = player.statistics();
        screenshot(new Robot(), window.frame(), "soak-window");
        result("seconds", Integer.toString(seconds));
        result("size", end.width() + "x" + end.height());
        result("received", Long.toString(end.receiver().frames() - start.receiver().frames()));
        result("decoded", Long.toString(end.decodedPictures() - start.decodedPictures()));
        result("dropped", Long.toString(end.droppedFrames() - start.droppedFrames()));
        result("packetsLost", Long.toString(end.receiver().packetsLost() - start.receiver().packetsLost()));
        result("decodeMillis", String.format(Locale.ROOT, "%.2f", end.decodeMillis()));
        result("status", label(window, "status"));
        window.close();
    }

    private static void result(String key, String value) {
        System.out.println("result " + key + "=" + value.replace('\n', ' '));
    }

    private static BufferedImage screenshot(Robot robot, Component c, String name) throws Exception {
        AtomicReference<Rectangle> bounds = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            Point p = c.getLocationOnScreen();
            bounds.set(new Rectangle(p.x, p.y, c.getWidth(), c.getHeight()));
        });
        BufferedImage shot = robot.createScreenCapture(bounds.get());
        ImageIO.write(shot, "png", SHOTS.resolve(name + ".png").toFile());
        return shot;
    }

    private static void click(Robot robot, ViewerWindow window, String name) throws Exception {
        Component button = find(window.frame(), name);
        AtomicReference<Point> centre = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> {
            Point p = button.getLocationOnScreen();
            centre.set(new Point(p.x + button.getWidth() / 2, p.y + button.getHeight() / 2));
        });
        robot.mouseMove(centre.get().x, centre.get().y);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
    }

    private static String label(ViewerWindow window, String name) throws Exception {
        AtomicReference<String> text = new AtomicReference<>();
        SwingUtilities.invokeAndWait(() -> text.set(((JLabel) find(window.frame(), name)).getText()));
        return text.get();
    }

    static Component find(Container root, String name) {
        for (Component c : root.getComponents()) {
            if (name.equals(c.getName())) {
                return c;
            }
            if (c instanceof Container) {
                Component inner = find((Container) c, name);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    private static double nonBlack(BufferedImage image) {
        long n = 0;
        long lit = 0;
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                int rgb = image.getRGB(x, y);
                n++;
                if (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF) > 60) {
                    lit++;
                }
            }
        }
        return lit / (double) n;
    }

    private static int colours(BufferedImage image) {
        java.util.Set<Integer> set = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                set.add(image.getRGB(x, y) & 0xF0F0F0);
            }
        }
        return set.size();
    }

    private static double changed(BufferedImage a, BufferedImage b) {
        long n = 0;
        long differ = 0;
        for (int y = 0; y < a.getHeight(); y += 2) {
            for (int x = 0; x < a.getWidth(); x += 2) {
                n++;
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                int d = Math.abs(((p >> 16) & 0xFF) - ((q >> 16) & 0xFF)) + Math.abs(((p >> 8) & 0xFF) - ((q >> 8) & 0xFF))
                        + Math.abs((p & 0xFF) - (q & 0xFF));
                if (d > 30) {
                    differ++;
                }
            }
        }
        return differ / (double) n;
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        PlayerControllerTest.waitFor(condition, millis);
    }

    /** Waits until at least {@code n} pictures have been decoded in all (at most a minute: a hang). */
    private static void awaitDecoded(PlayerController player, long n) throws InterruptedException {
        waitFor(() -> player.statistics().decodedPictures() >= n, 60_000);
    }

    /** Waits until no picture has been decoded for {@code quietMillis} (at most 30 s); the count then. */
    private static long awaitQuiet(PlayerController player, long quietMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        long count = player.statistics().decodedPictures();
        long since = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
            long now = player.statistics().decodedPictures();
            if (now != count) {
                count = now;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since >= quietMillis) {
                break;
            }
        }
        return count;
    }

    private static String labelText(ViewerWindow window, String name) {
        try {
            return label(window, name);
        } catch (Exception e) {
            return "";
        }
    }
}
