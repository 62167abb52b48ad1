package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.StreamState;

/**
 * The web page in headless Chromium (Debian's chromium and chromedriver): it lists the demo stream, its live
 * preview moves, and its Stop button stops the stream.
 */
class WebPageBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String DEMO_ROW = "tr[data-stream=\"demo\"]";

    static WebRuntime web;

    @BeforeAll
    static void start() throws Exception {
        web = WebRuntime.get();
    }

    @Test
    void thePageListsTheDemoItsPreviewMovesAndStopChangesItsState(@TempDir Path dir) throws Exception {
        try (WebDriver browser = new WebDriver(dir)) {
            browser.open(web.uri("/"));
            browser.find(DEMO_ROW, PATIENCE);
            assertEquals("RUNNING", awaitText(browser, DEMO_ROW + " .state", "RUNNING"));
            String url = browser.text(browser.find(DEMO_ROW + " .url code", PATIENCE));
            assertEquals(web.runtime().url("demo"), url);

            String preview = browser.find(DEMO_ROW + " img.preview", PATIENCE);
            BufferedImage first = Media.decode(browser.screenshot(preview));
            BufferedImage second = first;
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (differingPixels(first, second) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                second = Media.decode(browser.screenshot(preview));
            }
            assertTrue(differingPixels(first, second) > 0, "the preview changed within " + PATIENCE);
            assertTrue(lit(second), "the preview shows a picture, not an empty box");

            browser.click(browser.find(DEMO_ROW + " button.stop", PATIENCE));
            assertEquals("STOPPED", awaitText(browser, DEMO_ROW + " .state", "STOPPED"));
            assertEquals(StreamState.STOPPED, web.runtime().streams().get("demo").orElseThrow().state());

            browser.click(browser.find(DEMO_ROW + " button.start", PATIENCE));
            assertEquals("RUNNING", awaitText(browser, DEMO_ROW + " .state", "RUNNING"));
        } finally {
            if (web.runtime().streams().get("demo").orElseThrow().state() == StreamState.STOPPED) {
                web.runtime().streams().start("demo");
            }
        }
    }

    private static String awaitText(WebDriver browser, String css, String expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String text = "";
        while (System.nanoTime() < deadline) {
            try {
                text = browser.text(browser.find(css, PATIENCE));
                if (text.equals(expected)) {
                    return text;
                }
            } catch (AssertionError e) {
                // The page replaced the element between finding and reading it: find it again.
                text = e.getMessage();
            }
            Thread.sleep(200);
        }
        return text;
    }

    private static int differingPixels(BufferedImage a, BufferedImage b) {
        assertEquals(a.getWidth(), b.getWidth());
        assertEquals(a.getHeight(), b.getHeight());
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if (a.getRGB(x, y) != b.getRGB(x, y)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean lit(BufferedImage image) {
        int first = image.getRGB(0, 0);
        for (int y = 0; y < image.getHeight(); y += 4) {
            for (int x = 0; x < image.getWidth(); x += 4) {
                if (image.getRGB(x, y) != first) {
                    return true;
                }
            }
        }
        return false;
    }
}
