package org.tributary.it;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium driven through Debian's chromedriver with the W3C WebDriver protocol (HTTP and JSON), so the
 * browser test runs inside the OSGi framework without Selenium's jars, which are not bundles. Starts its own
 * chromedriver on a free port of 127.0.0.1 with a fresh profile; {@link #close()} ends the session, the driver
 * and every process it started.
 */
final class WebDriver implements AutoCloseable {

    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String CHROMIUM = "/usr/bin/chromium";
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

    private final Process driver;
    private final Path profile;
    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String session;

    WebDriver(Path work) throws Exception {
        int port = TributaryRuntime.freeTcpPort();
        profile = Files.createDirectories(work.resolve("chromium-profile"));
        driver = new ProcessBuilder(CHROMEDRIVER, "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(work.resolve("chromedriver.log").toFile()).start();
        base = "http://127.0.0.1:" + port;
        try {
            awaitPort(port);
            ObjectNode options = WebRuntime.JSON.createObjectNode();
            options.put("binary", CHROMIUM);
            options.putPOJO("args", List.of("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,900", "--user-data-dir=" + profile));
            ObjectNode caps = WebRuntime.JSON.createObjectNode();
            caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                    .set("goog:chromeOptions", options);
            session = post("/session", caps).path("sessionId").asText();
        } catch (Exception | AssertionError e) {
            close();
            throw e;
        }
    }

    void open(URI url) throws Exception {
        post(sessionPath("/url"), Map.of("url", url.toString()));
    }

    /** The element the CSS selector finds, waiting for the page's script to make it; fails after the timeout. */
    String find(String css, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> r = raw("POST", sessionPath("/element"),
                    Map.of("using", "css selector", "value", css));
            if (r.statusCode() == 200) {
                return WebRuntime.JSON.readTree(r.body()).path("value").path(ELEMENT).asText();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no element '" + css + "' within " + timeout + ": " + r.body());
            }
            Thread.sleep(200);
        }
    }

    String text(String element) throws Exception {
        return get(sessionPath("/element/" + element + "/text")).asText();
    }

    void click(String element) throws Exception {
        post(sessionPath("/element/" + element + "/click"), Map.of());
    }

    /** A PNG of the element as the browser paints it. */
    byte[] screenshot(String element) throws Exception {
        return Base64.getDecoder().decode(get(sessionPath("/element/" + element + "/screenshot")).asText());
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                raw("DELETE", "/session/" + session, null);
            }
        } catch (Exception e) {
            // The processes end below either way.
        } finally {
            driver.descendants().forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            try {
                driver.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String sessionPath(String rest) {
        return "/session/" + session + rest;
    }

    private JsonNode get(String path) throws Exception {
        return value(raw("GET", path, null));
    }

    private JsonNode post(String path, Object body) throws Exception {
        return value(raw("POST", path, body));
    }

    private static JsonNode value(HttpResponse<String> r) throws IOException {
        JsonNode json = WebRuntime.JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new AssertionError("WebDriver " + r.request().method() + " " + r.uri().getPath() + " -> "
                    + r.statusCode() + ": " + json.path("value").path("message").asText(r.body()));
        }
        return json.path("value");
    }

    private HttpResponse<String> raw(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(WebRuntime.JSON.writeValueAsString(body)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("chromedriver did not listen on port " + port + " within 60 s");
    }
}
