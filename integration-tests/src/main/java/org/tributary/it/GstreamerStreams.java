package org.tributary.it;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.util.tracker.ServiceTracker;
import org.tributary.api.Sessions;
import org.tributary.api.StreamException;

/**
 * The GStreamer source in the test runtime: its default {@code /stream} (H.264, 640x480, 30 fps) and a JPEG
 * test pattern {@code /gstjpeg} (320x240, 25 fps), and the counters that show how a live stream fans out.
 * The source bundle is installed by the first test class that needs it and uninstalled by {@link #remove()},
 * so other suites see the runtime as they expect it.
 */
final class GstreamerStreams {

    static final String BUNDLE = "org.tributary.source.gstreamer";
    static final String H264 = "stream";
    static final String JPEG = "gstjpeg";
    // I420: without a format jpegenc gets 4:4:4 from videotestsrc, which RTP/JPEG (RFC 2435) cannot carry.
    static final String JPEG_PIPELINE =
            "videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=25/1 ! jpegenc";

    private GstreamerStreams() {
    }

    /** Installs the source bundle and creates the JPEG stream, unless present; waits until both are mounted. */
    static void install(TributaryRuntime runtime) throws Exception {
        runtime.install(BUNDLE);
        runtime.awaitStream(H264, Duration.ofSeconds(30));
        if (runtime.streams().get(JPEG).isEmpty()) {
            runtime.streams().create(JPEG, "gstreamer", Map.of("pipeline", JPEG_PIPELINE));
        }
        runtime.awaitStream(JPEG, Duration.ofSeconds(30));
    }

    /** Deletes the JPEG stream and uninstalls the source bundle (its wrapper and JNA stay). */
    static void remove(TributaryRuntime runtime) throws Exception {
        try {
            runtime.streams().delete(JPEG);
        } catch (StreamException e) {
            // Deleted already.
        }
        for (Bundle b : Frameworks.bundles(runtime.context(), BUNDLE)) {
            b.uninstall();
        }
    }

    /** Frames the stream core handed to the viewers of a stream (a frame counts once per viewer). */
    static long framesDelivered(TributaryRuntime runtime, String stream) throws Exception {
        return runtime.streams().statistics(stream)
                .orElseThrow(() -> new AssertionError("no statistics for stream " + stream)).framesDelivered();
    }

    /** Frames the RTSP server packetized for the sessions of a live stream (once per frame). */
    static long packetizedFrames(TributaryRuntime runtime, String stream) throws Exception {
        Object server = sessions(runtime);
        return (Long) server.getClass().getMethod("packetizedFrames", String.class).invoke(server, stream);
    }

    static Sessions sessions(TributaryRuntime runtime) throws InterruptedException {
        ServiceTracker<Sessions, Sessions> tracker = new ServiceTracker<>(runtime.context(), Sessions.class, null);
        tracker.open();
        try {
            Sessions s = tracker.waitForService(10_000);
            if (s == null) {
                throw new AssertionError("no Sessions service");
            }
            return s;
        } finally {
            tracker.close();
        }
    }
}
