package org.tributary.rtp.sdp;

import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
 * <p>Addresses are written as SDP wants them (RFC 8866 §5.7, RFC 5952): IPv6 in its compressed lower-case form,
 * without brackets or zone ({@code ::1}, never {@code [0:0:0:0:0:0:0:1]}), under {@code IP6}. The {@code c=} line of
 * an RTSP description has the origin's address family ({@code IN IP6 ::} for a client that came over IPv6): GStreamer
 * opens its RTP sockets in the family {@code c=} names.
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
     * @param originAddress the server's address for the {@code o=} line (IPv4 or IPv6 literal, with or without
     *        brackets, or host name); an IPv6 literal is written compressed, without brackets or zone, and makes
     *        {@code c=} an {@code IP6} line
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
        String address = originLiteral(originAddress);
        boolean ip6 = address.indexOf(':') >= 0;
        line(sdp, "v=0");
        line(sdp, "o=- " + sessionId + " 1 IN " + (ip6 ? "IP6 " : "IP4 ") + address);
        line(sdp, "s=" + name);
        if (destination == null) {
            line(sdp, ip6 ? "c=IN IP6 ::" : "c=IN IP4 0.0.0.0");
        } else {
            InetAddress to = destination.getAddress();
            line(sdp, "c=IN " + (to instanceof Inet6Address ? "IP6 " : "IP4 ") + literal(to));
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

    /**
     * An address as SDP, RTCP CNAMEs and URLs (inside brackets) write it: IPv4 dotted; IPv6 in the text form of
     * RFC 5952, lower case, the longest run of two or more zero groups as {@code ::}, an IPv4-mapped address as
     * {@code ::ffff:a.b.c.d}, no zone and no brackets.
     */
    public static String literal(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xFF) << 8 | b[2 * i + 1] & 0xFF;
        }
        if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 && groups[4] == 0
                && groups[5] == 0xFFFF) {
            return "::ffff:" + (b[12] & 0xFF) + "." + (b[13] & 0xFF) + "." + (b[14] & 0xFF) + "." + (b[15] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }

    /**
     * The origin as the {@code o=} line writes it: an IPv6 literal (bracketed or not, with a zone or not) in
     * the form of {@link #literal}, anything else as given on one line; 127.0.0.1 when there is none.
     */
    private static String originLiteral(String originAddress) {
        if (originAddress == null || originAddress.isBlank()) {
            return "127.0.0.1";
        }
        String a = oneLine(originAddress.strip());
        if (a.length() > 2 && a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        if (a.indexOf(':') < 0) {
            return a;
        }
        int zone = a.indexOf('%');
        String bare = zone >= 0 ? a.substring(0, zone) : a;
        // Only hex digits, colons and dots: a literal, which getByName parses without asking any name service.
        if (!bare.isEmpty() && bare.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            try {
                return literal(InetAddress.getByName(bare));
            } catch (UnknownHostException e) {
                // Not an address after all: written as given.
            }
        }
        return bare;
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
