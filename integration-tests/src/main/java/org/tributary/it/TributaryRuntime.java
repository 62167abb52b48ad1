package org.tributary.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;
import org.tributary.api.Streams;

/**
 * The streaming runtime inside the test framework: the core feature's bundles installed from the bundle
 * repository, configured on free ports (never the defaults), started once and shared by the tests of one
 * framework run. Tests that take bundles away put them back before they end.
 */
public final class TributaryRuntime {

    /** The bundles of a streaming server, in start order. */
    public static final List<String> BUNDLES = List.of("org.tributary.rtp", "org.tributary.core",
            "org.tributary.transport.udp", "org.tributary.transport.tcp", "org.tributary.source.file",
            "org.tributary.rtsp.server");

    private static TributaryRuntime instance;

    private final BundleContext context;
    private final int rtspPort;

    private TributaryRuntime(BundleContext context, int rtspPort) {
        this.context = context;
        this.rtspPort = rtspPort;
    }

    /** The runtime, started on first use. */
    public static synchronized TributaryRuntime get() throws Exception {
        if (instance == null) {
            BundleContext context = FrameworkUtil.getBundle(TributaryRuntime.class).getBundleContext();
            int port = freeTcpPort();
            configure(context, "org.tributary.rtsp.server", Map.of("port", port));
            configure(context, "org.tributary.transport.udp", Map.of("rtpPort", 0));
            TributaryRuntime runtime = new TributaryRuntime(context, port);
            for (String bsn : BUNDLES) {
                runtime.install(bsn);
            }
            runtime.awaitRunning("demo", Duration.ofSeconds(60));
            runtime.awaitPort(Duration.ofSeconds(30));
            instance = runtime;
        }
        return instance;
    }

    public BundleContext context() {
        return context;
    }

    public int rtspPort() {
        return rtspPort;
    }

    /** {@code rtsp://127.0.0.1:PORT/<path>}. */
    public String url(String path) {
        return "rtsp://127.0.0.1:" + rtspPort + "/" + path;
    }

    /** Installs and starts a Tributary bundle from the repository, unless one of that name is installed. */
    public Bundle install(String symbolicName) throws IOException, BundleException {
        List<Bundle> present = Frameworks.bundles(context, symbolicName);
        Bundle bundle = present.isEmpty() ? context.installBundle(Repository.location(context, symbolicName))
                : present.get(0);
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
            bundle.start();
        }
        return bundle;
    }

    /** The installed bundle of that name. */
    public Bundle bundle(String symbolicName) {
        List<Bundle> present = Frameworks.bundles(context, symbolicName);
        if (present.isEmpty()) {
            throw new AssertionError("bundle " + symbolicName + " is not installed");
        }
        return present.get(0);
    }

    /** The Streams service now. */
    public Streams streams() {
        ServiceTracker<Streams, Streams> tracker = new ServiceTracker<>(context, Streams.class, null);
        tracker.open();
        try {
            Streams s = tracker.waitForService(10_000);
            if (s == null) {
                throw new AssertionError("no Streams service");
            }
            return s;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            tracker.close();
        }
    }

    /** The status code of a DESCRIBE of the stream, sent on a new connection. */
    public int describeStatus(String path) throws IOException {
        return status("DESCRIBE " + url(path) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
    }

    /** The status code of a SETUP of the stream's track offering only that transport, on a new connection. */
    public int setupStatus(String path, String transport) throws IOException {
        return status("SETUP " + url(path) + "/trackID=0 RTSP/1.0\r\nCSeq: 1\r\nTransport: " + transport
                + "\r\n\r\n");
    }

    private int status(String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", rtspPort), 10_000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
            if (line == null || !line.startsWith("RTSP/1.0 ")) {
                throw new IOException("not an RTSP reply: " + line);
            }
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    /** Waits until the stream is mounted. */
    public void awaitStream(String name, Duration timeout) throws InterruptedException {
        ServiceTracker<Streams, Streams> tracker = new ServiceTracker<>(context, Streams.class, null);
        tracker.open();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                Streams streams = tracker.getService();
                if (streams != null && streams.get(name).isPresent()) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("stream '" + name + "' not mounted within " + timeout);
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits until the stream is mounted and {@link StreamState#RUNNING} (playable), so that a DESCRIBE sent next
     * finds it; returns what the server publishes about it then.
     */
    public StreamInfo awaitRunning(String name, Duration timeout) throws InterruptedException {
        return awaitState(name, StreamState.RUNNING, timeout);
    }

    /** Waits until the stream is mounted and in the given state; returns what the server publishes then. */
    public StreamInfo awaitState(String name, StreamState state, Duration timeout) throws InterruptedException {
        ServiceTracker<Streams, Streams> tracker = new ServiceTracker<>(context, Streams.class, null);
        tracker.open();
        try {
            long deadline = System.nanoTime() + timeout.toNanos();
            StreamInfo last = null;
            while (System.nanoTime() < deadline) {
                Streams streams = tracker.getService();
                last = streams == null ? null : streams.get(name).orElse(null);
                if (last != null && last.state() == state) {
                    return last;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("stream '" + name + "' not " + state + " within " + timeout + ": " + last);
        } finally {
            tracker.close();
        }
    }

    /**
     * Replaces the RTSP server's configuration (the port stays) and waits until the server has restarted with
     * it: its Sessions service is registered anew and the port accepts connections.
     */
    public void reconfigureServer(Map<String, ?> settings) throws Exception {
        ServiceTracker<org.tributary.api.Sessions, ?> tracker =
                new ServiceTracker<>(context, org.tributary.api.Sessions.class, null);
        tracker.open();
        try {
            tracker.waitForService(10_000);
            Object before = tracker.getServiceReference().getProperty(Constants.SERVICE_ID);
            Map<String, Object> all = new java.util.HashMap<>(settings);
            all.put("port", rtspPort);
            configure(context, "org.tributary.rtsp.server", all);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (true) {
                org.osgi.framework.ServiceReference<?> now = tracker.getServiceReference();
                if (now != null && !now.getProperty(Constants.SERVICE_ID).equals(before)) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the RTSP server did not restart with its new configuration");
                }
                Thread.sleep(20);
            }
        } finally {
            tracker.close();
        }
        awaitPort(Duration.ofSeconds(10));
    }

    /** Waits until the RTSP port accepts connections. */
    public void awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", rtspPort), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("RTSP port " + rtspPort + " not open within " + timeout);
    }

    /** Creates or updates a configuration through Config Admin. */
    public static void configure(BundleContext context, String pid, Map<String, ?> properties) throws IOException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin ca = tracker.waitForService(10_000);
            if (ca == null) {
                throw new IOException("Configuration Admin not available");
            }
            Configuration c = ca.getConfiguration(pid, "?");
            Dictionary<String, Object> dict = new Hashtable<>(properties);
            c.update(dict);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            tracker.close();
        }
    }

    /** Creates or updates the named factory configuration through Config Admin. */
    public static void configureFactory(BundleContext context, String factoryPid, String name, Map<String, ?> properties)
            throws IOException {
        ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker =
                new ServiceTracker<>(context, ConfigurationAdmin.class, null);
        tracker.open();
        try {
            ConfigurationAdmin ca = tracker.waitForService(10_000);
            if (ca == null) {
                throw new IOException("Configuration Admin not available");
            }
            Configuration c = ca.getFactoryConfiguration(factoryPid, name, "?");
            c.update(new Hashtable<>(properties));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            tracker.close();
        }
    }

    /** A TCP port nobody listens on now. */
    public static int freeTcpPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A UDP port nobody uses now. */
    public static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
