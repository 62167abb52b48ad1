package org.tributary.rtp.sdp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.tributary.rtp.RtpException;

/**
 * Parses an SDP session description (RFC 4566) as RTSP servers send it, with CRLF or bare LF line ends.
 * Unknown lines and attributes are kept or skipped, never fatal; only text that is not SDP at all fails.
 *
 * <p>Stateless and thread-safe.
 */
public final class SdpParser {

    private SdpParser() {
    }

    /**
     * @throws RtpException if the text does not start with {@code v=0}, has a line that is not
     *         {@code <letter>=<value>}, or an {@code m=} line without port, protocol and format
     */
    public static SessionDescription parse(String sdp) throws RtpException {
        String[] lines = sdp.split("\r?\n");
        String name = null;
        Duration duration = null;
        String control = null;
        List<MediaDescription> media = new ArrayList<>();
        MediaBuilder current = null;
        boolean first = true;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=') {
                throw new RtpException("SDP line " + (i + 1) + " is not <type>=<value>: " + shorten(line));
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (first) {
                if (type != 'v' || !value.strip().equals("0")) {
                    throw new RtpException("not an SDP session description: it starts with " + shorten(line));
                }
                first = false;
                continue;
            }
            if (type == 'm') {
                if (current != null) {
                    media.add(current.build());
                }
                current = new MediaBuilder(value, i + 1);
            } else if (type == 's' && current == null) {
                name = value;
            } else if (type == 'a') {
                int colon = value.indexOf(':');
                String key = colon < 0 ? value : value.substring(0, colon);
                String attr = colon < 0 ? "" : value.substring(colon + 1).strip();
                if (current != null) {
                    current.attribute(key, attr);
                } else if (key.equals("control") && control == null) {
                    control = attr;
                } else if (key.equals("range") && duration == null) {
                    duration = range(attr);
                }
            }
        }
        if (first) {
            throw new RtpException("empty SDP session description");
        }
        if (current != null) {
            media.add(current.build());
        }
        return new SessionDescription(name, duration, control, media);
    }

    /** The length of an {@code npt=start-end} range, or null when open-ended, live or not NPT. */
    private static Duration range(String value) {
        if (!value.startsWith("npt=")) {
            return null;
        }
        String[] ends = value.substring(4).split("-", 2);
        if (ends.length < 2 || ends[1].isBlank() || ends[0].strip().equals("now")) {
            return null;
        }
        try {
            Duration length = npt(ends[1].strip()).minus(npt(ends[0].strip()));
            return length.isNegative() ? null : length;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An NPT time: seconds with a fraction, or {@code h:mm:ss.fff}. */
    private static Duration npt(String time) {
        if (time.isEmpty()) {
            return Duration.ZERO;
        }
        String[] parts = time.split(":");
        double seconds = 0;
        for (String part : parts) {
            seconds = seconds * 60 + Double.parseDouble(part);
        }
        if (parts.length > 3 || !(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new NumberFormatException(time);
        }
        return Duration.ofNanos(Math.round(seconds * 1e9));
    }

    private static String shorten(String line) {
        return line.length() <= 60 ? line : line.substring(0, 60) + "...";
    }

    private static final class MediaBuilder {
        private final String type;
        private final int payloadType;
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final Map<String, String> formatParameters = new LinkedHashMap<>();
        private String encodingName;
        private int clockRate;
        private String control;

        MediaBuilder(String value, int lineNumber) throws RtpException {
            String[] fields = value.strip().split("\\s+");
            if (fields.length < 4) {
                throw new RtpException("SDP line " + lineNumber + " needs m=<media> <port> <proto> <fmt>: m=" + value);
            }
            type = fields[0];
            int pt;
            try {
                pt = Integer.parseInt(fields[3]);
            } catch (NumberFormatException e) {
                pt = -1;
            }
            payloadType = pt;
            if (pt == 26) {
                encodingName = "JPEG";
                clockRate = 90_000;
            }
        }

        void attribute(String key, String value) {
            attributes.putIfAbsent(key, value);
            switch (key) {
                case "control" -> {
                    if (control == null) {
                        control = value;
                    }
                }
                case "rtpmap" -> {
                    String[] parts = value.split("\\s+", 2);
                    if (parts.length == 2 && parts[0].equals(Integer.toString(payloadType))) {
                        String[] encoding = parts[1].split("/");
                        encodingName = encoding[0].toUpperCase(Locale.ROOT);
                        try {
                            clockRate = encoding.length > 1 ? Integer.parseInt(encoding[1].strip()) : 0;
                        } catch (NumberFormatException e) {
                            clockRate = 0;
                        }
                    }
                }
                case "fmtp" -> {
                    String[] parts = value.split("\\s+", 2);
                    if (parts.length == 2 && parts[0].equals(Integer.toString(payloadType))) {
                        for (String parameter : parts[1].split(";")) {
                            String p = parameter.strip();
                            if (p.isEmpty()) {
                                continue;
                            }
                            int eq = p.indexOf('=');
                            formatParameters.putIfAbsent(eq < 0 ? p : p.substring(0, eq).strip(),
                                    eq < 0 ? "" : p.substring(eq + 1).strip());
                        }
                    }
                }
                default -> { }
            }
        }

        MediaDescription build() {
            return new MediaDescription(type, payloadType, encodingName, clockRate, control, formatParameters,
                    attributes);
        }
    }
}
