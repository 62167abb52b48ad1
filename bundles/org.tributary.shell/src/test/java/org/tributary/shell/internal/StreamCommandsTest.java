package org.tributary.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tributary.api.Codec;
import org.tributary.api.MediaInfo;
import org.tributary.api.SourceType;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;

class StreamCommandsTest {

    private final FakeStreams core = new FakeStreams();
    private final StreamCommands commands = new StreamCommands();
    private final FakeSessions pushes = new FakeSessions();

    @BeforeEach
    void mount() {
        core.types.add(new SourceType("file", "org.tributary.source.file", "MJPEG files and directories",
                "org.tributary.source.file"));
        core.with(FakeStreams.jpeg("demo", StreamState.RUNNING, "", 2));
        core.with(new StreamInfo("camera", "gstreamer", StreamState.FAILED, "pipeline error:\nno device /dev/video0",
                new MediaInfo(Codec.H264, 1920, 1080, 29.97, null, List.of()), 0));
        commands.streams = core;
        pushes.pushable.add("demo");
        commands.sessions = pushes;
    }

    @Test
    void pushPrintsTheSessionIdAndTheSdpAndWritesItToTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("push.sdp");
        String out = commands.stream("push", "demo", "127.0.0.1:5004", "file=" + file);

        String id = pushes.list().get(0).id();
        assertEquals("pushing stream demo to 127.0.0.1:5004 as session " + id + "; end it with: kick " + id + "\n"
                + "SDP written to " + file.toAbsolutePath() + "\n"
                + "v=0\nc=IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96", out);
        assertEquals("v=0\r\nc=IN IP4 127.0.0.1\r\nm=video 5004 RTP/AVP 96\r\n",
                Files.readString(file, StandardCharsets.UTF_8), "the file keeps SDP's CRLF line ends");
        assertEquals("RTP/AVP", pushes.list().get(0).transport());
    }

    @Test
    void kickEndsAPush() {
        commands.stream("push", "demo", "127.0.0.1:5004");
        String id = pushes.list().get(0).id();
        SessionCommands sessionCommands = new SessionCommands();
        sessionCommands.sessions = pushes;

        assertEquals("kicked session " + id, sessionCommands.kick(id));
        assertTrue(pushes.list().isEmpty() && pushes.pushDescription(id).isEmpty());
    }

    @Test
    void pushTakesIpv6InBracketsAndSaysWhatIsWrongWithADestination() {
        assertTrue(commands.stream("push", "demo", "[::1]:6000").startsWith("pushing stream demo to [0:0:0:0:0:0:0:1]:6000"));
        assertEquals("expected HOST:PORT, got '127.0.0.1'", commands.stream("push", "demo", "127.0.0.1"));
        assertEquals("expected a port from 1 to 65534 (RTCP goes to the next one), got '65535'",
                commands.stream("push", "demo", "127.0.0.1:65535"));
        assertEquals("write an IPv6 address in brackets: [::1]:PORT", commands.stream("push", "demo", "::1:5004"));
        assertEquals(StreamCommands.PUSH_USAGE, commands.stream("push", "demo"));
        assertEquals(StreamCommands.PUSH_USAGE, commands.stream("push", "demo", "127.0.0.1:5004", "out.sdp"));
        assertEquals("no stream named 'nope'", commands.stream("push", "nope", "127.0.0.1:5004"));
        assertEquals(1, pushes.list().size(), "only the good push made a session");
    }

    @Test
    void pushSaysWhenTheRtspServerIsNotRunning() {
        commands.sessions = null;

        assertEquals(Answers.SESSIONS_ABSENT, commands.stream("push", "demo", "127.0.0.1:5004"));
    }

    @Test
    void streamsListsEveryStreamInAlignedColumnsThatFitEightyCharacters() {
        String out = commands.streams();

        List<String> lines = out.lines().toList();
        assertEquals(List.of(
                "NAME    TYPE       STATE    CODEC       SIZE    FPS  VIEWERS  REASON",
                "camera  gstreamer  FAILED   H264   1920x1080  29.97        0  pipeline error:; no device /dev/video0",
                "demo    file       RUNNING  JPEG     320x240     25        2"), lines);
        assertTrue(lines.get(0).length() <= 80 && lines.get(2).length() <= 80, out);
    }

    @Test
    void everyCommandSaysInOneLineThatTheCoreIsNotRunning() {
        commands.streams = null;

        assertEquals(Answers.STREAMS_ABSENT, commands.streams());
        assertEquals(Answers.STREAMS_ABSENT, commands.sources());
        assertEquals(Answers.STREAMS_ABSENT, commands.stream("stop", "demo"));
    }

    @Test
    void addCreatesAStreamOfTheTypeWithItsSettingsAsStrings() {
        String out = commands.stream("add", "file", "clip", "path=clips/a b.mjpeg", "frameRate=12.5", "loop=");

        assertEquals("added stream clip (file, STARTING)", out);
        assertEquals(Map.of("path", "clips/a b.mjpeg", "frameRate", "12.5", "loop", ""), core.lastSettings);
        assertTrue(core.get("clip").isPresent());
    }

    @Test
    void aSettingWithoutEqualsSignIsOneLineAndCreatesNothing() {
        assertEquals("expected key=value, got 'frameRate'", commands.stream("add", "file", "clip", "frameRate"));
        assertEquals("expected key=value, got '=25'", commands.stream("add", "file", "clip", "=25"));
        assertEquals("setting 'loop' given twice", commands.stream("add", "file", "clip", "loop=true", "loop=false"));
        assertFalse(core.get("clip").isPresent());
    }

    @Test
    void theCoresRefusalIsItsMessageOnOneLine() {
        assertEquals("no source type 'webcam'", commands.stream("add", "webcam", "cam"));
        assertEquals("a stream named 'demo' exists", commands.stream("add", "file", "demo"));
        assertEquals("no stream named 'nope'", commands.stream("stop", "nope"));
        assertEquals("no stream named 'nope'", commands.stream("set", "nope", "loop=true"));
    }

    @Test
    void anUnexpectedFailureIsOneErrorLineNeverAStackTrace() {
        commands.streams = new FakeStreams() {
            @Override
            public List<StreamInfo> list() {
                throw new IllegalStateException("Config Admin is gone\n\tat somewhere");
            }

            @Override
            public Optional<StreamInfo> get(String name) {
                throw new NullPointerException();
            }
        };

        assertEquals("error: Config Admin is gone; at somewhere", commands.streams());
        assertEquals("error: NullPointerException", commands.stream("show", "demo"));
    }

    @Test
    void stopAndStartChangeTheStreamsState() {
        assertEquals("stopped stream demo; it refuses viewers until: stream start demo", commands.stream("stop", "demo"));
        assertEquals(StreamState.STOPPED, core.get("demo").orElseThrow().state());

        assertEquals("started stream demo (RUNNING)", commands.stream("START", "demo"));
        assertEquals(StreamState.RUNNING, core.get("demo").orElseThrow().state());
    }

    @Test
    void setChangesSettingsAndRemoveDeletesTheStream() {
        assertEquals("changed stream demo (RUNNING)", commands.stream("set", "demo", "frameRate=10"));
        assertEquals(Map.of("frameRate", "10"), core.lastSettings);

        assertEquals("removed stream demo", commands.stream("remove", "demo"));
        assertFalse(core.get("demo").isPresent());
    }

    @Test
    void showPrintsOneStreamWithItsReasonAndLength() {
        core.with(new StreamInfo("movie.Mjpeg", "file", StreamState.RUNNING, "",
                MediaInfo.jpeg(384, 288, 25, Duration.ofMillis(20_040)), 1));

        assertEquals("""
                name     camera
                type     gstreamer
                state    FAILED: pipeline error:; no device /dev/video0
                codec    H264
                size     1920x1080
                fps      29.97
                length   live
                viewers  0
                settings none: its source provides it (it was not made with stream add)""", commands.stream("show", "camera"));
        assertTrue(commands.stream("show", "movie.Mjpeg").contains("length   0:00:20.040 (on demand)"));
        assertEquals("no stream named 'x'", commands.stream("show", "x"));
    }

    @Test
    void showPrintsTheSettingsOfACreatedStream() {
        core.stored.put("demo", new java.util.TreeMap<>(Map.of("path", "/media/clip.mjpeg", "frameRate", 12.5,
                "ports", new int[] {5000, 5002})));
        String out = commands.stream("show", "demo");
        assertTrue(out.endsWith("""
                viewers  2
                settings frameRate=12.5
                         path=/media/clip.mjpeg
                         ports=5000,5002"""), out);
        core.stored.put("ghost", Map.of("url", "rtsp://cam/live"));
        assertEquals("""
                name     ghost
                state    not mounted: its source has not registered it (see the log)
                settings url=rtsp://cam/live""", commands.stream("show", "ghost"));
    }

    @Test
    void anSdpThatCannotBeWrittenSaysWhy(@TempDir Path dir) {
        Path file = dir.resolve("x").resolve("y.sdp");
        String out = commands.stream("push", "demo", "127.0.0.1:5004", "file=" + file);
        assertTrue(out.contains("the SDP could not be written to " + file + ": no such directory " + dir.resolve("x")),
                out);
        String again = commands.stream("push", "demo", "127.0.0.1:5006", "file=" + dir);
        assertTrue(again.contains(": it is a directory"), again);
    }

    @Test
    void aWrongCallGetsTheUsageOfItsAction() {
        assertEquals(StreamCommands.USAGE, commands.stream());
        assertEquals("unknown action 'play'; " + StreamCommands.USAGE, commands.stream("play", "demo"));
        assertEquals("usage: stream add TYPE NAME [key=value...], TYPE one of sources", commands.stream("add", "file"));
        assertEquals("usage: stream set NAME key=value...", commands.stream("set", "demo"));
        assertEquals("usage: stream stop NAME", commands.stream("stop"));
        assertEquals("usage: stream remove NAME", commands.stream("remove", "a", "b"));
    }

    @Test
    void sourcesListsTheInstalledSourceTypes() {
        assertEquals("""
                TYPE  BUNDLE                     DESCRIPTION
                file  org.tributary.source.file  MJPEG files and directories""", commands.sources());

        core.types.clear();
        assertEquals("no source types installed; the sources feature has them: feature install sources",
                commands.sources());
    }

    @Test
    void noStreamsSaysHowToAddOne() {
        commands.streams = new FakeStreams();

        assertEquals("no streams; add one with: stream add TYPE NAME key=value... (see sources)", commands.streams());
    }
}
