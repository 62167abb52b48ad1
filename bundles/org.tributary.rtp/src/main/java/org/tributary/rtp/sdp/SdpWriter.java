package org.tributary.rtp.sdp;

import java.math.BigDecimal;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.tributary.api.Codec;
import org.tributary.rtp.RtpException;
import org.tributary.rtp.h264.SequenceParameterSet;

/**
 * Writes the SDP (RFC 4566) a server answers DESCRIBE with, in the shape FFmpeg, GStreamer and VLC read:
 * CRLF line ends, {@code m=} port 0, a {@code c=} line, session {@code a=control:*}, an {@code a=range}
 * that tells on-demand (with its end, so clients can seek) from live ({@code now-}), and per track
 * {@code a=rtpmap}, the H.264 {@code a=fmtp} with {@code sprop-parameter-sets}, {@code a=control},
 * {@code a=framerate} and {@code a=x-dimensions}. For RTP sent without RTSP ({@link #writeUnicast}) the
 * description names the receiver's address and port instead, as a {@code .sdp} file for players to open.
 *
 * <p>Stateless and thread-safe.
 */
public final class SdpWriter {

    private static final String CRLF = "\r\n";

    private SdpWriter() {
    }

    /**
     * The session description, with an origin session id taken from the current time.
     *
     * @param sessionName the {@code s=} line, usually the stream name
     * @param originAddress the server's address for the {@code o=} line (IPv4 or IPv6 literal, or host name)
     * @param durationOrNullForLive the length of an on-demand stream, {@code null} for a live one
     */
    public static String write(String sessionName, String originAddress, Duration durationOrNullForLive,
            List<SdpTrack> tracks) {
        return write(sessionName, originAddress, System.currentTimeMillis() / 1000 + 2_208_988_800L,
                durationOrNullForLive, tracks);
    }

    /** Like {@link #write(String, String, Duration, List)} with a given origin session id. */
    public static String write(String sessionName, String originAddress, long sessionId,
            Duration durationOrNullForLive, List<SdpTrack> tracks) {
        return write(sessionName, originAddress, sessionId, null, durationOrNullForLive, tracks);
    }

    /**
     * The description of one track sent as plain RTP to {@code destination} (RTP to its port, RTCP to the next
     * one), as a receiver without RTSP reads it ({@code ffmpeg -i push.sdp}, VLC): {@code c=} names the
     * destination's address and {@code m=} its port; no control attributes, since there is no RTSP session.
     *
     * @param destination the receiver's address (IPv4 or IPv6, resolved) and RTP port
     * @throws IllegalArgumentException if the destination is unresolved
     */
    public static String writeUnicast(String sessionName, String originAddress, InetSocketAddress destination,
            Duration durationOrNullForLive, SdpTrack track) {
        if (destination.getAddress() == null) {
            throw new IllegalArgumentException("unresolved destination " + destination);
        }
        return write(sessionName, originAddress, System.currentTimeMillis() / 1000 + 2_208_988_800L, destination,
                durationOrNullForLive, List.of(track));
    }

    private static String write(String sessionName, String originAddress, long sessionId,
            InetSocketAddress destination, Duration durationOrNullForLive, List<SdpTrack> tracks) {
        StringBuilder sdp = new StringBuilder(512);
        String name = sessionName == null || sessionName.isBlank() ? "-" : oneLine(sessionName);
        String address = originAddress == null || originAddress.isBlank() ? "127.0.0.1" : oneLine(originAddress);
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " 1 IN " + (address.indexOf(':') >= 0 ? "IP6 " : "IP4 ") + address);
        line(sdp, "s=" + name);
        if (destination == null) {
            line(sdp, "c=IN IP4 0.0.0.0");
        } else {
            String host = destination.getAddress().getHostAddress();
            int zone = host.indexOf('%');
            line(sdp, "c=IN " + (destination.getAddress() instanceof Inet6Address ? "IP6 " : "IP4 ")
                    + (zone >= 0 ? host.substring(0, zone) : host));
        }
        line(sdp, "t=0 0");
        line(sdp, "a=tool:Tributary");
        if (destination == null) {
            line(sdp, "a=control:*");
        }
        if (durationOrNullForLive == null) {
            line(sdp, "a=range:npt=now-");
        } else {
            line(sdp, "a=range:npt=0-" + String.format(Locale.ROOT, "%.3f", durationOrNullForLive.toNanos() / 1e9));
        }
        for (SdpTrack track : tracks) {
            int pt = track.payloadType();
            line(sdp, "m=video " + (destination == null ? 0 : destination.getPort()) + " RTP/AVP " + pt);
            line(sdp, "a=rtpmap:" + pt + " " + track.codec().encodingName() + "/" + track.codec().clockRate());
            if (track.codec() == Codec.H264) {
                line(sdp, "a=fmtp:" + pt + " " + h264Parameters(track.parameterSets()));
            }
            if (destination == null) {
                line(sdp, "a=control:" + oneLine(track.control()));
            }
            if (track.frameRate() > 0 && Double.isFinite(track.frameRate())) {
                line(sdp, "a=framerate:" + number(track.frameRate()));
            }
            if (track.width() > 0 && track.height() > 0) {
                line(sdp, "a=x-dimensions:" + track.width() + "," + track.height());
            }
        }
        return sdp.toString();
    }

    private static String h264Parameters(List<ByteBuffer> parameterSets) {
        StringBuilder fmtp = new StringBuilder("packetization-mode=1");
        if (parameterSets.isEmpty()) {
            return fmtp.toString();
        }
        try {
            String profileLevelId = SequenceParameterSet.profileLevelId(parameterSets.get(0));
            fmtp.append(";profile-level-id=").append(profileLevelId);
        } catch (RtpException notAnSps) {
            // Without profile-level-id receivers assume baseline and read the real profile from the SPS.
        }
        fmtp.append(";sprop-parameter-sets=");
        for (int i = 0; i < parameterSets.size(); i++) {
            if (i > 0) {
                fmtp.append(',');
            }
            fmtp.append(Base64.getEncoder().encodeToString(bytes(parameterSets.get(i))));
        }
        return fmtp.toString();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    private static String number(double value) {
        return BigDecimal.valueOf(value).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    /** Keeps a value from ending its line early and smuggling in lines of its own. */
    private static String oneLine(String value) {
        return value.replace('\r', ' ').replace('\n', ' ');
    }

    private static void line(StringBuilder sdp, String line) {
        sdp.append(line).append(CRLF);
    }
}
