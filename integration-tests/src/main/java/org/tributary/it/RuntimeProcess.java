package org.tributary.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;

/**
 * The built runtime ({@code runtime/target/tributary.jar}) started as its own process the plain way,
 * {@code java -Dtributary.home=... -jar tributary.jar}, with no terminal (standard input from /dev/null), free
 * RTSP and HTTP ports, and its data, deploy and media directories and working directory under one directory. Its
 * output (standard output and error) is kept in {@code runtime.log} there. {@link #close()} ends it with SIGTERM.
 */
public final class RuntimeProcess implements AutoCloseable {

    private final Path dir;
    private final int rtspPort;
    private final int httpPort;
    private final Process process;

    private RuntimeProcess(Path dir, int rtspPort, int httpPort, Process process) {
        this.dir = dir;
        this.rtspPort = rtspPort;
        this.httpPort = httpPort;
        this.process = process;
    }

    /**
     * Starts the runtime with its working directory {@code dir}: data in {@code dir/data}, deploy directory
     * {@code dir/deploy} (created first, with the UDP transport on a free RTP port pair), media in
     * {@code dir/media}; no {@code /stream} unless {@code jvmArguments} says otherwise.
     *
     * @param environment variables to set ({@code null} value: remove the variable)
     * @param jvmArguments more JVM arguments, before {@code -jar}
     */
    public static RuntimeProcess start(Path dir, Map<String, String> environment, List<String> jvmArguments)
            throws IOException {
        BundleContext context = FrameworkUtil.getBundle(RuntimeProcess.class).getBundleContext();
        String jar = context.getProperty("tributary.runtime.jar");
        if (jar == null) {
            throw new AssertionError("the framework property tributary.runtime.jar (it.bndrun) names the runtime jar");
        }
        Path home = Path.of(jar).toAbsolutePath().getParent();
        Files.createDirectories(dir.resolve("deploy"));
        Files.writeString(dir.resolve("deploy").resolve("org.tributary.transport.udp.cfg"), "rtpPort=0\n");
        int rtspPort = TributaryRuntime.freeTcpPort();
        int httpPort = TributaryRuntime.freeTcpPort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dtributary.home=" + home, "-Dtributary.rtsp.port=" + rtspPort,
                "-Dtributary.http.port=" + httpPort));
        if (jvmArguments.stream().noneMatch(a -> a.startsWith("-Dtributary.stream="))) {
            command.add("-Dtributary.stream=false");
        }
        command.addAll(jvmArguments);
        command.addAll(List.of("-jar", jar));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("runtime.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment.forEach((k, v) -> {
            if (v == null) {
                builder.environment().remove(k);
            } else {
                builder.environment().put(k, v);
            }
        });
        return new RuntimeProcess(dir, rtspPort, httpPort, builder.start());
    }

    public int rtspPort() {
        return rtspPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path deploy() {
        return dir.resolve("deploy");
    }

    public Process process() {
        return process;
    }

    /** {@code rtsp://127.0.0.1:PORT/<path>}. */
    public String url(String path) {
        return "rtsp://127.0.0.1:" + rtspPort + "/" + path;
    }

    /** What the runtime printed so far. */
    public String log() throws IOException {
        Path log = dir.resolve("runtime.log");
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the runtime printed a line containing {@code text}; returns that line. */
    public String awaitLine(String text, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String found = log().lines().filter(l -> l.contains(text)).findFirst().orElse(null);
            if (found != null) {
                return found;
            }
            if (!process.isAlive()) {
                throw new AssertionError("the runtime ended (exit " + process.exitValue() + ") before printing '"
                        + text + "':\n" + Processes.tail(log()));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the runtime did not print '" + text + "' within " + timeout + ":\n"
                        + Processes.tail(log()));
            }
            Thread.sleep(100);
        }
    }

    /** Waits until a DESCRIBE of the path answers {@code status}. */
    public void awaitDescribe(String path, int status, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while ((last = describeStatus(path)) != status) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("DESCRIBE /" + path + " answered " + last + ", not " + status + ", within "
                        + timeout + (process.isAlive() ? "" : " (the runtime ended)") + ":\n"
                        + Processes.tail(log()));
            }
            Thread.sleep(200);
        }
    }

    /** The status code of a DESCRIBE of the path on a new connection; -1 when nothing answers. */
    public int describeStatus(String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rtspPort), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("DESCRIBE " + url(path) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1))
                    .readLine();
            return line != null && line.startsWith("RTSP/1.0 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The number of frames FFmpeg decodes of the first {@code frames} of the stream, over RTP in TCP. */
    public int decodedFrames(String path, int frames) throws IOException, InterruptedException {
        Processes.Result r = Processes.run(Duration.ofSeconds(90), "ffmpeg", "-nostdin", "-v", "error",
                "-rtsp_transport", "tcp", "-i", url(path), "-frames:v", String.valueOf(frames), "-f", "framemd5", "-");
        if (!r.ok()) {
            throw new AssertionError("ffmpeg could not play " + url(path) + ":\n" + Processes.tail(r.output()));
        }
        return (int) r.output().lines().filter(l -> l.matches("0,\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*\\d+,\\s*[0-9a-f]{32}"))
                .count();
    }

    /** Ends the runtime with SIGTERM (and kills it if it has not ended after a generous wait). */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
