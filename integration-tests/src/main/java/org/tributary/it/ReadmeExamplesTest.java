package org.tributary.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * The README's examples, run as a new user runs them: {@code scripts/run.sh} in an empty directory (on free ports,
 * never the defaults), the Gogo session of the README typed on its standard input, then the README's play commands,
 * REST calls and configuration file against it. The commands are read from README.md itself, so the README cannot
 * drift from what the runtime does. Ports are the only thing changed; a window sink becomes a sink that reports the
 * frames it gets, and {@code ffplay} becomes {@code ffmpeg} with the same input options decoding to nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReadmeExamplesTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration CLIENT = Duration.ofSeconds(90);
    private static final String SESSION_DONE = "readme-session-done";

    static Path root;
    static String readme;
    static Path work;
    static int rtspPort;
    static int httpPort;
    static Process runtime;
    static Path log;

    @BeforeAll
    static void start() throws Exception {
        BundleContext context = FrameworkUtil.getBundle(ReadmeExamplesTest.class).getBundleContext();
        String rootProperty = context.getProperty("tributary.root");
        assertNotNull(rootProperty, "the framework property tributary.root (it.bndrun) names the checkout");
        root = Path.of(rootProperty).toAbsolutePath().normalize();
        readme = Files.readString(root.resolve("README.md"));
        work = Files.createTempDirectory("tributary-readme-");
        rtspPort = TributaryRuntime.freeTcpPort();
        httpPort = TributaryRuntime.freeTcpPort();

        // The UDP transport's default ports are the installed server's: this runtime picks free ones, with a
        // configuration file in deploy/ as the README describes.
        Files.createDirectories(work.resolve("deploy"));
        Files.writeString(work.resolve("deploy/org.tributary.transport.udp.cfg"), "rtpPort=0\n");

        List<String> session = new ArrayList<>();
        for (String line : codeBlockAfter("A session to paste at the prompt").split("\n")) {
            if (line.startsWith("g! ")) {
                session.add(line.substring(3));
            }
        }
        assertTrue(session.size() >= 5, "the README's Gogo session: " + session);
        session.add("echo " + SESSION_DONE);
        Path stdin = work.resolve("session.txt");
        Files.writeString(stdin, String.join("\n", session) + "\n");

        log = work.resolve("runtime.log");
        runtime = runScript(stdin);
        awaitLog(SESSION_DONE, START);
        awaitDescribe("demo", START);
    }

    /** {@code scripts/run.sh} in the work directory, as the README says, with this test's ports. */
    private static Process runScript(Path stdin) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(root.resolve("scripts/run.sh").toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(stdin.toFile());
        builder.environment().put("TRIBUTARY_RTSP_PORT", Integer.toString(rtspPort));
        builder.environment().put("TRIBUTARY_HTTP_PORT", Integer.toString(httpPort));
        // The jar this build made: a test never starts a build of its own.
        builder.environment().put("TRIBUTARY_BUILD", "never");
        return builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (runtime != null && runtime.isAlive()) {
            runtime.destroy(); // SIGTERM, as the README says
            if (!runtime.waitFor(30, TimeUnit.SECONDS)) {
                runtime.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the runtime did not stop within 30 s of SIGTERM:\n" + logTail());
            }
        }
    }

    @Test
    @Order(1)
    void theGogoSessionRunsEveryCommandWithoutAnError() throws Exception {
        String out = Files.readString(log);
        int start = out.indexOf("g! ") >= 0 ? out.indexOf("g! ") : 0;
        String shell = out.substring(start, out.indexOf(SESSION_DONE, start));
        for (String bad : List.of("Exception", "gogo:", "Cannot coerce", "\tat ")) {
            assertFalse(shell.contains(bad), "the README's Gogo session printed '" + bad + "':\n" + shell);
        }
        assertTrue(shell.contains("clip"), "the session added the stream clip:\n" + shell);
        assertTrue(shell.contains("bars"), "the session added the stream bars:\n" + shell);
        assertEquals(404, describe("clip"), "the session removed clip again");
        awaitDescribe("bars", CLIENT);
        assertFfmpegDecodes(List.of("-rtsp_transport", "tcp"), "rtsp://localhost:" + rtspPort + "/bars");
    }

    @Test
    @Order(2)
    void thePlayCommandsDecodeFrames() throws Exception {
        List<String> commands = commandLines(codeBlockAfter("Play a stream:"));
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("ffplay")), "ffplay examples: " + commands);
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("gst-launch-1.0")), "a GStreamer example: " + commands);
        int ran = 0;
        for (String line : commands) {
            String command = ports(line.replaceAll("\\s+#.*$", ""));
            List<String> words = List.of(command.split("\\s+"));
            switch (words.get(0)) {
                case "ffplay" -> {
                    String url = words.get(words.size() - 1);
                    awaitDescribe(url.substring(url.lastIndexOf('/') + 1), CLIENT);
                    assertFfmpegDecodes(words.subList(1, words.size() - 1), url);
                    Matcher alternative = Pattern.compile("# or (-rtsp_transport \\w+)").matcher(line);
                    if (alternative.find()) {
                        assertFfmpegDecodes(List.of(alternative.group(1).split(" ")), url);
                    }
                }
                case "gst-launch-1.0" -> assertGstreamerDecodes(command);
                case "python3" -> assertLabClientPlays(words);
                case "vlc" -> {
                    continue; // VLC is not among the test dependencies; FFmpeg and GStreamer cover the same URLs.
                }
                default -> throw new AssertionError("an example the test does not know how to run: " + line);
            }
            ran++;
        }
        assertTrue(ran >= 4, "play examples run: " + ran);
    }

    @Test
    @Order(3)
    void theRestCallsAnswerAsDocumented() throws Exception {
        List<String> commands = commandLines(codeBlockContaining("curl -s localhost:8080/api/streams"));
        assertTrue(commands.size() >= 3, "the README's curl examples: " + commands);
        for (String line : commands) {
            String command = ports(line);
            assertTrue(command.startsWith("curl "), command);
            // -w prints the status after the body; everything else is as the README writes it.
            Processes.Result curl = Processes.run(CLIENT, "bash", "-c", command + " -w '\\n%{http_code}'");
            assertTrue(curl.ok(), command + " failed:\n" + curl.output());
            String[] lines = curl.output().strip().split("\n");
            int status = Integer.parseInt(lines[lines.length - 1].trim());
            assertTrue(status >= 200 && status < 300, command + " answered " + status + ":\n" + curl.output());
        }
        awaitDescribe("ball", CLIENT);
        // The last example stops the default stream: viewers are refused until it is started again.
        assertEquals(503, describe("demo"), "the README's /control stop stopped demo");
        HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + httpPort + "/control")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"start\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, started.statusCode(), started.body());
        awaitDescribe("demo", CLIENT);
    }

    @Test
    @Order(4)
    void theConfigurationFileOfTheReadmeCreatesAPlayableStream() throws Exception {
        Matcher named = Pattern.compile("`deploy/([^`]+\\.cfg)`:").matcher(readme);
        assertTrue(named.find(), "the README's example configuration file");
        String file = named.group(1);
        String example = codeBlockAfter("`deploy/" + file + "`:");
        Matcher name = Pattern.compile("(?m)^name=(\\S+)$").matcher(example);
        assertTrue(name.find(), example);
        // The README's path is a placeholder for the user's own file: the demo clip stands in for it.
        Path clip = work.resolve("media/movie.Mjpeg").toAbsolutePath();
        Files.writeString(work.resolve("deploy").resolve(file), example.replaceAll("(?m)^path=.*$", "path=" + clip));
        awaitDescribe(name.group(1), CLIENT);
        assertFfmpegDecodes(List.of("-rtsp_transport", "tcp"), "rtsp://localhost:" + rtspPort + "/" + name.group(1));
    }

    @Test
    @Order(5)
    void sigtermStopsTheRuntimeAndStreamsMadeInTheSessionAreThereAfterARestart() throws Exception {
        runtime.destroy(); // SIGTERM
        assertTrue(runtime.waitFor(60, TimeUnit.SECONDS), "the runtime stops on SIGTERM:\n" + logTail());
        assertEquals(-1, describe("demo"), "the RTSP port is closed");

        runtime = runScript(Path.of("/dev/null"));
        awaitDescribe("demo", START);
        awaitDescribe("bars", START); // added by the README's Gogo session, kept in data/config
    }

    /** The text of the first fenced code block after the first occurrence of {@code marker}. */
    private static String codeBlockAfter(String marker) {
        int at = readme.indexOf(marker);
        assertTrue(at >= 0, "README.md has no '" + marker + "'");
        int open = readme.indexOf("```", at);
        int bodyStart = readme.indexOf('\n', open) + 1;
        int close = readme.indexOf("```", bodyStart);
        return readme.substring(bodyStart, close);
    }

    /** The text of the fenced code block in which {@code text} first occurs. */
    private static String codeBlockContaining(String text) {
        int at = readme.indexOf(text);
        assertTrue(at >= 0, "README.md has no '" + text + "'");
        int open = readme.lastIndexOf("```", at);
        int bodyStart = readme.indexOf('\n', open) + 1;
        int close = readme.indexOf("```", at);
        return readme.substring(bodyStart, close);
    }

    /** The commands of a shell code block, with backslash-continued lines joined. */
    private static List<String> commandLines(String block) {
        List<String> commands = new ArrayList<>();
        for (String line : block.replace("\\\n", " ").split("\n")) {
            if (!line.isBlank()) {
                commands.add(line.strip().replaceAll("\\s+", " "));
            }
        }
        return commands;
    }

    /** The README's default ports replaced by this runtime's. */
    private static String ports(String command) {
        return command.replace(":8554/", ":" + rtspPort + "/").replace(":8080/", ":" + httpPort + "/")
                .replaceAll(":8080\\b", ":" + httpPort).replace(" 8554 ", " " + rtspPort + " ");
    }

    private static void assertFfmpegDecodes(List<String> inputOptions, String url) throws Exception {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error"));
        command.addAll(inputOptions);
        command.addAll(List.of("-i", url, "-frames:v", "30", "-f", "null", "-"));
        Processes.Result ffmpeg = Processes.run(CLIENT, command);
        assertTrue(ffmpeg.ok(), String.join(" ", command) + " failed:\n" + Processes.tail(ffmpeg.output()));
    }

    /** Runs the pipeline with its window sink replaced by one that reports each buffer; 10 decoded frames pass. */
    private static void assertGstreamerDecodes(String command) throws Exception {
        String pipeline = command.replaceFirst("^gst-launch-1.0 ", "")
                .replace("autovideosink", "fakesink silent=false sync=false");
        List<String> argv = new ArrayList<>(List.of("gst-launch-1.0", "-v"));
        argv.addAll(Arrays.asList(pipeline.split(" ")));
        Process gst = new ProcessBuilder(argv).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        int frames = 0;
        long deadline = System.nanoTime() + CLIENT.toNanos();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gst.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while (frames < 10 && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                if (line.contains("last-message = chain")) {
                    frames++;
                } else if (seen.length() < 20_000) {
                    seen.append(line).append('\n');
                }
            }
        } finally {
            gst.destroy();
            if (!gst.waitFor(10, TimeUnit.SECONDS)) {
                gst.destroyForcibly();
            }
        }
        assertEquals(10, frames, command + " decoded " + frames + " frames:\n" + Processes.tail(seen.toString()));
    }

    /** {@code python3 Client.py HOST PORT RTP_PORT FILE}: the same requests, as the lab client sends them. */
    private static void assertLabClientPlays(List<String> words) throws Exception {
        int script = words.indexOf("Client.py");
        assertTrue(script > 0 && words.size() >= script + 5, "python3 Client.py host port rtp_port file: " + words);
        String host = words.get(script + 1);
        int port = Integer.parseInt(words.get(script + 2));
        String file = words.get(script + 4);
        try (LabClient client = new LabClient(host, port, file)) {
            LabClient.Reply setup = client.setup();
            assertEquals(200, setup.status(), setup.raw());
            assertEquals(200, client.play().status());
            List<LabClient.LabFrame> frames = new ArrayList<>();
            long deadline = System.nanoTime() + CLIENT.toNanos();
            while (frames.size() < 10 && System.nanoTime() < deadline) {
                frames.addAll(client.receive(500));
            }
            assertTrue(frames.size() >= 10, "the lab client got " + frames.size() + " frames");
            for (LabClient.LabFrame f : frames) {
                Media.decode(f.jpeg());
            }
            assertEquals(200, client.teardown().status());
        }
    }

    private static void awaitLog(String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.readString(log).contains(text)) {
            if (!runtime.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("scripts/run.sh did not print '" + text + "' within " + timeout + ":\n"
                        + logTail());
            }
            Thread.sleep(200);
        }
    }

    private static void awaitDescribe(String path, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int status;
        while ((status = describe(path)) != 200) {
            if (!runtime.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("/" + path + " did not answer DESCRIBE with 200 (last " + status + "):\n"
                        + logTail());
            }
            Thread.sleep(200);
        }
    }

    private static int describe(String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rtspPort), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("DESCRIBE rtsp://localhost:" + rtspPort + "/" + path
                    + " RTSP/1.0\r\nCSeq: 1\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            return line != null && line.startsWith("RTSP/1.0 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String logTail() throws IOException {
        return Processes.tail(Files.readString(log));
    }
}
