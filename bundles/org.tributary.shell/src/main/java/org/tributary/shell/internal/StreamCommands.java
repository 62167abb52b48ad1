package org.tributary.shell.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.tributary.api.MediaInfo;
import org.tributary.api.SessionInfo;
import org.tributary.api.Sessions;
import org.tributary.api.SourceType;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.Streams;
import org.tributary.api.TransportException;

/**
 * Gogo commands for streams: {@code streams} lists them, {@code stream ACTION ...} adds, changes, removes,
 * starts, stops, shows or pushes one, {@code sources} lists the source types {@code stream add} accepts.
 * {@code stream push NAME HOST:PORT} sends a stream's RTP to a receiver without RTSP and prints the SDP the
 * receiver opens; {@code kick ID} ends the push.
 *
 * <p>{@code stream} takes all its words as one array so that every wrong call, even a missing word, reaches
 * this class and gets a usage line instead of Gogo's coercion error.
 */
@Component(service = StreamCommands.class, property = {
        "osgi.command.scope=tributary",
        "osgi.command.function=streams",
        "osgi.command.function=stream",
        "osgi.command.function=sources" })
public final class StreamCommands {

    static final String USAGE = "usage: stream add TYPE NAME [key=value...] | stream set NAME key=value... | "
            + "stream remove|start|stop|show NAME | stream push NAME HOST:PORT [file=PATH]";

    static final String PUSH_USAGE = "usage: stream push NAME HOST:PORT [file=PATH], e.g. stream push stream "
            + "127.0.0.1:5004 file=push.sdp";

    // Optional and dynamic: the commands stay registered and answer in one line while the core is away.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Streams streams;

    // Pushes are sessions of the RTSP server; the other actions work without it.
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Sessions sessions;

    @Descriptor("list the streams: name, source type, state, codec, picture size, frames per second, viewers, "
            + "and why a stream is stopped or failed")
    public String streams() {
        Streams s = streams;
        if (s == null) {
            return Answers.STREAMS_ABSENT;
        }
        try {
            List<StreamInfo> all = s.list();
            if (all.isEmpty()) {
                return "no streams; add one with: stream add TYPE NAME key=value... (see sources)";
            }
            Table table = new Table().left("NAME").left("TYPE").left("STATE").left("CODEC").right("SIZE")
                    .right("FPS").right("VIEWERS").left("REASON");
            for (StreamInfo stream : all) {
                MediaInfo info = stream.info();
                table.row(stream.name(), stream.type(), stream.state(), info.codec(),
                        Answers.size(info.width(), info.height()), Answers.frameRate(info.frameRate()),
                        stream.viewers(), stream.reason().isEmpty() ? "" : Answers.oneLine(stream.reason(), ""));
            }
            return table.toString();
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    @Descriptor("add, change, remove, start, stop or show a stream: stream add TYPE NAME [key=value...], "
            + "stream set NAME key=value..., stream remove NAME, stream start NAME, stream stop NAME, "
            + "stream show NAME, stream push NAME HOST:PORT [file=PATH] (RTP to a receiver without RTSP; prints "
            + "the session id and the SDP for the receiver, also written to PATH; kick ID ends it)")
    public String stream(@Descriptor("add|set|remove|start|stop|show|push, then its arguments; settings as "
            + "key=value, e.g. stream add file clip path=clip.mjpeg") String... words) {
        if (words == null || words.length == 0) {
            return USAGE;
        }
        Streams s = streams;
        if (s == null) {
            return Answers.STREAMS_ABSENT;
        }
        String action = words[0].toLowerCase(Locale.ROOT);
        List<String> args = Arrays.asList(words).subList(1, words.length);
        try {
            switch (action) {
                case "add":
                    return add(s, args);
                case "set":
                    return set(s, args);
                case "remove":
                    s.delete(name(action, args));
                    return "removed stream " + args.get(0);
                case "start":
                    return started(s.start(name(action, args)));
                case "stop":
                    StreamInfo stopped = s.stop(name(action, args));
                    return "stopped stream " + stopped.name() + "; it refuses viewers until: stream start "
                            + stopped.name();
                case "show":
                    return show(s, name(action, args));
                case "push":
                    return push(args);
                default:
                    return "unknown action '" + words[0] + "'; " + USAGE;
            }
        } catch (UsageException e) {
            return e.getMessage();
        } catch (StreamException e) {
            return Answers.oneLine(e.getMessage(), e.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        } catch (TransportException e) {
            return Answers.oneLine(e.getMessage(), "the transport refused");
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    @Descriptor("list the installed source types, the TYPE of stream add, with the bundle that provides each")
    public String sources() {
        Streams s = streams;
        if (s == null) {
            return Answers.STREAMS_ABSENT;
        }
        try {
            List<SourceType> types = s.sourceTypes();
            if (types.isEmpty()) {
                return "no source types installed; the sources feature has them: feature install sources";
            }
            Table table = new Table().left("TYPE").left("BUNDLE").left("DESCRIPTION");
            for (SourceType type : types) {
                table.row(type.type(), type.bundle(), Answers.oneLine(type.description(), ""));
            }
            return table.toString();
        } catch (RuntimeException e) {
            return Answers.error(e);
        }
    }

    private static String add(Streams s, List<String> args) throws UsageException, StreamException {
        if (args.size() < 2) {
            throw new UsageException("usage: stream add TYPE NAME [key=value...], TYPE one of sources");
        }
        StreamInfo created = s.create(args.get(1), args.get(0), Settings.parse(args.subList(2, args.size())));
        return "added stream " + created.name() + " (" + created.type() + ", " + created.state() + ")";
    }

    private String push(List<String> args) throws UsageException, StreamException, TransportException {
        if (args.size() < 2 || args.size() > 3) {
            throw new UsageException(PUSH_USAGE);
        }
        Path file = null;
        if (args.size() == 3) {
            if (!args.get(2).startsWith("file=") || args.get(2).length() == 5) {
                throw new UsageException(PUSH_USAGE);
            }
            try {
                file = Path.of(args.get(2).substring(5));
            } catch (InvalidPathException e) {
                return "not a file name: " + args.get(2).substring(5);
            }
        }
        InetSocketAddress destination = destination(args.get(1));
        Sessions pushes = sessions;
        if (pushes == null) {
            return Answers.SESSIONS_ABSENT;
        }
        SessionInfo push = pushes.push(args.get(0), destination);
        String sdp = pushes.pushDescription(push.id()).orElse("");
        StringBuilder out = new StringBuilder();
        out.append("pushing stream ").append(push.stream()).append(" to ").append(SessionCommands.address(destination))
                .append(" as session ").append(push.id()).append("; end it with: kick ").append(push.id());
        if (file != null) {
            try {
                Files.writeString(file, sdp, StandardCharsets.UTF_8);
                out.append("\nSDP written to ").append(file.toAbsolutePath());
            } catch (IOException e) {
                out.append("\nthe SDP could not be written to ").append(file.toAbsolutePath()).append(": ")
                        .append(whyNotWritten(file.toAbsolutePath(), e));
            }
        }
        return out.append('\n').append(sdp.replace("\r\n", "\n").stripTrailing()).toString();
    }

    /** Why a file could not be written, in words: a missing directory, a denied permission, a full disk. */
    static String whyNotWritten(Path file, IOException e) {
        Path dir = file.getParent();
        if (e instanceof NoSuchFileException) {
            return dir != null && !Files.isDirectory(dir) ? "no such directory " + dir : "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (Files.isDirectory(file)) {
            return "it is a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return Answers.oneLine(e.getMessage(), e.getClass().getSimpleName());
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT}; a host name is looked up. */
    static InetSocketAddress destination(String text) throws UsageException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new UsageException("expected HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new UsageException("write an IPv6 address in brackets: [" + host + "]:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65534) {
            throw new UsageException("expected a port from 1 to 65534 (RTCP goes to the next one), got '"
                    + text.substring(colon + 1) + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new UsageException("unknown host '" + host + "'");
        }
    }

    private static String set(Streams s, List<String> args) throws UsageException, StreamException {
        if (args.size() < 2) {
            throw new UsageException("usage: stream set NAME key=value...");
        }
        StreamInfo updated = s.update(args.get(0), Settings.parse(args.subList(1, args.size())));
        return "changed stream " + updated.name() + " (" + updated.state() + ")";
    }

    private static String started(StreamInfo stream) {
        return "started stream " + stream.name() + " (" + stream.state() + ")";
    }

    private static String show(Streams s, String name) {
        Optional<StreamInfo> found = s.get(name);
        Optional<Map<String, Object>> settings = s.settings(name);
        if (found.isEmpty() && settings.isEmpty()) {
            return "no stream named '" + name + "'";
        }
        StringBuilder out = new StringBuilder();
        field(out, "name", name);
        if (found.isPresent()) {
            StreamInfo stream = found.get();
            MediaInfo info = stream.info();
            field(out, "type", stream.type());
            field(out, "state", stream.state() + (stream.reason().isEmpty() ? ""
                    : ": " + Answers.oneLine(stream.reason(), "")));
            field(out, "codec", info.codec().encodingName());
            field(out, "size", Answers.size(info.width(), info.height()));
            field(out, "fps", Answers.frameRate(info.frameRate()));
            field(out, "length", info.length().map(StreamCommands::length).orElse("live"));
            field(out, "viewers", Integer.toString(stream.viewers()));
        } else {
            field(out, "state", "not mounted: its source has not registered it (see the log)");
        }
        if (settings.isEmpty()) {
            field(out, "settings", "none: its source provides it (it was not made with stream add)");
        } else if (settings.get().isEmpty()) {
            field(out, "settings", "all at their defaults");
        } else {
            String label = "settings";
            for (Map.Entry<String, Object> setting : settings.get().entrySet()) {
                field(out, label, setting.getKey() + "=" + settingValue(setting.getValue()));
                label = "";
            }
        }
        return out.toString().stripTrailing();
    }

    private static String settingValue(Object value) {
        if (value instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        if (value != null && value.getClass().isArray()) {
            return Arrays.stream(toObjects(value)).map(String::valueOf).collect(Collectors.joining(","));
        }
        return Answers.oneLine(String.valueOf(value), "");
    }

    private static Object[] toObjects(Object array) {
        int n = java.lang.reflect.Array.getLength(array);
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = java.lang.reflect.Array.get(array, i);
        }
        return out;
    }

    private static void field(StringBuilder out, String label, String value) {
        out.append(String.format("%-8s %s", label, value)).append('\n');
    }

    private static String length(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d:%02d.%03d (on demand)", s / 3600, s / 60 % 60, s % 60,
                d.toMillisPart());
    }

    private static String name(String action, List<String> args) throws UsageException {
        if (args.size() != 1) {
            throw new UsageException("usage: stream " + action + " NAME");
        }
        return args.get(0);
    }
}
