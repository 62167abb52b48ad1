package org.tributary.rest.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.tributary.api.Codec;
import org.tributary.api.DeliveryStats;
import org.tributary.api.MediaInfo;
import org.tributary.api.SessionInfo;
import org.tributary.api.StreamInfo;

/** What the API answers: the API's value types as JSON objects, with what a client needs next (URLs). */
final class Views {

    private Views() {
    }

    /**
     * A stream.
     *
     * @param preview how the web page shows it: {@code mjpeg} (live, JPEG streams) or {@code still}
     */
    record Stream(String name, String type, String state, String reason, String codec, int width, int height,
            double frameRate, boolean live, Double durationSeconds, int viewers, String rtspUrl, String preview,
            Map<String, Object> settings) {
    }

    static Stream stream(StreamInfo s, String rtspUrl) {
        return stream(s, rtspUrl, null);
    }

    /** A stream with its stored settings ({@code null}: not shown, e.g. in lists or for a stream its source provides). */
    static Stream stream(StreamInfo s, String rtspUrl, Map<String, Object> settings) {
        MediaInfo info = s.info();
        return new Stream(s.name(), s.type(), s.state().name(), s.reason().isEmpty() ? null : s.reason(),
                info.codec().encodingName(), info.width(), info.height(), info.frameRate(), info.live(),
                info.length().map(Views::seconds).orElse(null), s.viewers(), rtspUrl,
                info.codec() == Codec.JPEG ? "mjpeg" : "still", settings);
    }

    /** A session with its delivery's counters. */
    record Session(String id, String client, String stream, String transport, String state, String started,
            long packets, long bytes, long droppedFrames) {
    }

    static Session session(SessionInfo s) {
        DeliveryStats stats = s.stats() == null ? DeliveryStats.NONE : s.stats();
        return new Session(s.id(), address(s.client()), s.stream(), s.transport(),
                s.state() == null ? null : s.state().name(), instant(s.started()), stats.packets(), stats.bytes(),
                stats.droppedFrames());
    }

    /** A push: its session and the SDP a receiver without RTSP reads. */
    record Push(Session session, String sdp) {
    }

    /** An installed transport and how many sessions use it ({@code null} while the RTSP server is away). */
    record Transport(String profile, String bundle, Integer sessions) {
    }

    /** A bundle of the framework. */
    record BundleView(long id, String symbolicName, String version, String state, String location, boolean fragment,
            String startError) {
    }

    static BundleView bundle(Bundle b, String startError) {
        return new BundleView(b.getBundleId(), b.getSymbolicName(), b.getVersion().toString(), state(b.getState()),
                b.getLocation(), b.getHeaders("").get(Constants.FRAGMENT_HOST) != null, startError);
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> Integer.toString(state);
        };
    }

    /** The answer of the health check. */
    record Health(String status, String streams, String rtsp, int running, int failed, int stopped, List<String> problems,
            List<FailedStream> failedStreams) {
    }

    /** A stream that is FAILED, and why. */
    record FailedStream(String name, String reason) {
    }

    /** {@code host:port} by address, so no name lookup ever runs; IPv6 in brackets. */
    static String address(InetSocketAddress a) {
        if (a == null) {
            return null;
        }
        if (a.isUnresolved() || a.getAddress() == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    static String instant(Instant i) {
        return i == null ? null : i.toString();
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
