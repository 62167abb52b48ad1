package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tributary.api.EndReason;
import org.tributary.api.Playback;
import org.tributary.api.MediaSource;
import org.tributary.api.SettingsCheck;
import org.tributary.api.SourceType;
import org.tributary.api.StreamException;
import org.tributary.api.StreamInfo;
import org.tributary.api.StreamState;

class StreamControlTest {

    private static final String FILE_PID = "org.tributary.source.file";

    private final SourceTypeCatalog types = new SourceTypeCatalog();
    private final MemoryConfigAdmin admin = new MemoryConfigAdmin();
    private StreamCore core = newCore(Duration.ofSeconds(2));

    private StreamCore newCore(Duration mountWait) {
        types.put(5, null, List.of(new SourceType("file", FILE_PID, "MJPEG file", "org.tributary.source.file")));
        StreamCore c = new StreamCore(types, mountWait);
        c.useSchemas(t -> t.type().type().equals("file") ? TestSchemas.file() : null);
        return c;
    }

    @AfterEach
    void stop() {
        core.deactivate();
    }

    /**
     * Config Admin with the file source bundle behind it: a stored configuration mounts a source a little later
     * on another thread (as SCR would), a deleted one unmounts it.
     */
    private final class FileSourceBundle implements ConfigurationStore {
        final ConfigAdminStore store = new ConfigAdminStore(admin);
        final Map<String, MemorySource> mounted = new ConcurrentHashMap<>();
        final Map<String, Map<String, Object>> props = new ConcurrentHashMap<>();

        @Override
        public Optional<Stored> find(String name, Collection<String> factoryPids) throws IOException {
            return store.find(name, factoryPids);
        }

        @Override
        public void create(String factoryPid, String name, Map<String, Object> properties) throws IOException {
            store.create(factoryPid, name, properties);
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
                MemorySource source = new MemorySource(100, 25, 1);
                Map<String, Object> p = TestSupport.props(name, "file");
                mounted.put(name, source);
                props.put(name, p);
                core.bindSource(source, p);
            }, "test-scr");
            t.start();
        }

        @Override
        public void update(Stored stored, Map<String, Object> properties) throws IOException {
            store.update(stored, properties);
        }

        @Override
        public void delete(Stored stored) throws IOException {
            store.delete(stored);
            String name = (String) stored.properties().get("name");
            core.unbindSource(mounted.remove(name), props.remove(name));
        }

        @Override
        public Set<String> loadStopped() throws IOException {
            return store.loadStopped();
        }

        @Override
        public void saveStopped(Set<String> names) throws IOException {
            store.saveStopped(names);
        }
    }

    private static StreamException.Kind kind(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(StreamException.class, call).kind();
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(StreamException.class, call).getMessage();
    }

    @Test
    void sourceTypesAreThoseOfTheCatalogSortedByType() {
        types.put(8, null, List.of(new SourceType("gstreamer", "g", "", "g")));
        assertEquals(List.of("file", "gstreamer"), core.sourceTypes().stream().map(SourceType::type).toList());
    }

    @Test
    void createStoresAFactoryConfigurationWithTypedSettingsAndReturnsTheStreamOnceMounted() throws Exception {
        core.useStore(new FileSourceBundle());

        StreamInfo info = core.create("cams/front", "file", Map.of("path", "front.mjpeg", "frameRate", "12.5"));

        assertEquals("cams/front", info.name());
        assertEquals("file", info.type());
        assertEquals(StreamState.RUNNING, info.state(), "waited for the source to mount it");
        assertEquals(320, info.info().width());
        MemoryConfigAdmin.Config config = admin.configurations.get(FILE_PID + "~cams_front");
        assertEquals("cams/front", config.getProperties().get("name"));
        assertEquals("front.mjpeg", config.getProperties().get("path"));
        assertEquals(12.5, config.getProperties().get("frameRate"));
        assertEquals(FILE_PID, config.getFactoryPid());
    }

    @Test
    void createAnswersStartingWhenTheSourceHasNotMountedTheStreamInTime() throws Exception {
        core.deactivate();
        core = newCore(Duration.ofMillis(100));
        core.useStore(new ConfigAdminStore(admin));

        long t0 = System.nanoTime();
        StreamInfo info = core.create("clip", "file", Map.of("path", "clip.mjpeg"));

        // Answered after the 100 ms wait, not held until the source mounts (it never does here); the bound
        // only ends a hang.
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L);
        assertEquals(StreamState.STARTING, info.state());
        assertEquals("file", info.type());
        assertEquals(0, info.info().width());
        assertTrue(core.get("clip").isEmpty());
        assertEquals("clip", admin.configurations.get(FILE_PID + "~clip").getProperties().get("name"));
    }

    @Test
    void createRefusesWithTheKindAFrontendTurnsIntoAStatusAndStoresNothing() throws Exception {
        core.useStore(new ConfigAdminStore(admin));
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("demo", "file"));
        admin.getFactoryConfiguration(FILE_PID, "old", "?").update(new java.util.Hashtable<>(
                Map.of("name", "old", "path", "old.mjpeg")));
        int before = admin.configurations.size();

        assertEquals(StreamException.Kind.INVALID, kind(() -> core.create("../etc", "file", Map.of("path", "x"))));
        assertEquals("stream name '../etc' has a part '..', which is not allowed",
                message(() -> core.create("../etc", "file", Map.of("path", "x"))));
        assertEquals(StreamException.Kind.NOT_FOUND, kind(() -> core.create("cam", "webcam", Map.of())));
        assertEquals("unknown source type 'webcam'; installed: file",
                message(() -> core.create("cam", "webcam", Map.of())));
        assertEquals(StreamException.Kind.CONFLICT, kind(() -> core.create("demo", "file", Map.of("path", "x"))));
        assertEquals(StreamException.Kind.CONFLICT, kind(() -> core.create("old", "file", Map.of("path", "x"))));
        assertEquals(StreamException.Kind.INVALID, kind(() -> core.create("new", "file", Map.of("path", "x",
                "fps", 3))));
        assertEquals("setting 'path' (File) is required for type 'file'",
                message(() -> core.create("new", "file", Map.of())));
        assertEquals(StreamException.Kind.INVALID, kind(() -> core.create("new", "file", Map.of("path", "x",
                "name", "other"))));

        assertEquals(before, admin.configurations.size(), "nothing stored");
    }

    @Test
    void theSourceTypesOwnCheckRefusesASettingBeforeAnythingIsStored() throws Exception {
        core.useStore(new ConfigAdminStore(admin));
        SettingsCheck check = settings -> {
            if (String.valueOf(settings.get("path")).startsWith("http:")) {
                throw new StreamException(StreamException.Kind.INVALID,
                        "setting 'path' must be a file, not a web address");
            }
        };
        core.bindSettingsCheck(check, Map.of(MediaSource.SOURCE_TYPE, "file", "service.id", 7L));
        core.create("old", "file", Map.of("path", "old.mjpeg"));
        int before = admin.configurations.size();

        assertEquals("setting 'path' must be a file, not a web address",
                message(() -> core.create("new", "file", Map.of("path", "http://x/y"))));
        assertEquals(StreamException.Kind.INVALID, kind(() -> core.update("old", Map.of("path", "http://x/y"))));
        assertEquals(before, admin.configurations.size(), "nothing stored");
        assertEquals("old.mjpeg", core.settings("old").orElseThrow().get("path"), "the old value is kept");

        core.unbindSettingsCheck(check, Map.of());
        core.create("new", "file", Map.of("path", "http://x/y"));
        assertEquals(Map.of("path", "http://x/y"), core.settings("new").orElseThrow());
        assertTrue(core.settings("nothing").isEmpty());
    }

    @Test
    void withoutConfigAdminNothingCanBeCreatedChangedOrDeletedButStreamsStillPlay() throws Exception {
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("demo", "file"));
        String message = message(() -> core.create("clip", "file", Map.of("path", "x")));
        assertTrue(message.contains("Config Admin"), message);
        assertEquals(StreamException.Kind.UNAVAILABLE, kind(() -> core.update("clip", Map.of())));
        assertEquals(StreamException.Kind.UNAVAILABLE, kind(() -> core.delete("clip")));
        core.open("demo", new RecordingSink()).close();
    }

    @Test
    void updateMergesTheChangesValidatesThemAndKeepsTheRest() throws Exception {
        core.useStore(new FileSourceBundle());
        core.create("clip", "file", Map.of("path", "a.mjpeg", "loop", false));

        StreamInfo info = core.update("/clip", Map.of("frameRate", "50"));

        assertEquals("clip", info.name());
        var properties = admin.configurations.get(FILE_PID + "~clip").getProperties();
        assertEquals(50.0, properties.get("frameRate"));
        assertEquals("a.mjpeg", properties.get("path"));
        assertEquals(false, properties.get("loop"));
        assertEquals("clip", properties.get("name"));
        assertEquals(StreamException.Kind.INVALID, kind(() -> core.update("clip", Map.of("loop", "often"))));
        assertEquals(StreamException.Kind.INVALID, kind(() -> core.update("clip", Map.of("name", "renamed"))));
        assertEquals(false, admin.configurations.get(FILE_PID + "~clip").getProperties().get("loop"));
        assertEquals(StreamException.Kind.NOT_FOUND, kind(() -> core.update("nothing", Map.of())));
    }

    @Test
    void deleteRemovesTheConfigurationAndItsSourceTakesTheStreamDown() throws Exception {
        FileSourceBundle bundle = new FileSourceBundle();
        core.useStore(bundle);
        core.create("clip", "file", Map.of("path", "a.mjpeg"));
        RecordingSink viewer = new RecordingSink();
        core.open("clip", viewer);

        core.delete("clip");

        assertNull(admin.configurations.get(FILE_PID + "~clip"));
        assertTrue(core.get("clip").isEmpty());
        assertEquals(EndReason.SOURCE_GONE, viewer.ends().get(0).reason());
        assertEquals(StreamException.Kind.NOT_FOUND, kind(() -> core.delete("clip")));
    }

    @Test
    void theDemoAndDirectoryFilesCannotBeChangedOrDeletedAndTheMessageSaysWhy() throws Exception {
        core.useStore(new ConfigAdminStore(admin));
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("demo", "file"));

        StreamException e = assertThrows(StreamException.class, () -> core.delete("demo"));

        assertEquals(StreamException.Kind.NOT_FOUND, e.kind());
        assertTrue(e.getMessage().startsWith("stream 'demo' cannot be deleted: it was not created as a stream"),
                e.getMessage());
        assertTrue(e.getMessage().contains("demo clip"), e.getMessage());
        assertTrue(message(() -> core.update("demo", Map.of())).contains("cannot be changed"));
        assertTrue(core.get("demo").isPresent());
    }

    @Test
    void stoppingEndsEveryPlaybackRefusesNewViewersAndKeepsTheStreamListed() throws Exception {
        core.bindSource(new MemorySource(500, 25, 1), TestSupport.props("demo", "file"));
        RecordingSink playing = new RecordingSink();
        RecordingSink paused = new RecordingSink();
        Playback p1 = core.open("demo", playing);
        core.open("demo", paused);
        p1.play(null);
        assertTrue(playing.awaitFrames(2, 30_000));

        StreamInfo info = core.stop("demo");

        assertEquals(StreamState.STOPPED, info.state());
        assertEquals("stopped by an operator", info.reason());
        assertEquals(0, info.viewers());
        for (RecordingSink sink : List.of(playing, paused)) {
            assertEquals(List.of(new RecordingSink.End(EndReason.STOPPED, "stream 'demo' was stopped")), sink.ends());
        }
        assertEquals(List.of("demo"), core.list().stream().map(StreamInfo::name).toList());
        assertEquals(StreamState.STOPPED, core.list().get(0).state());
        StreamException refused = assertThrows(StreamException.class, () -> core.open("demo", new RecordingSink()));
        assertEquals(StreamException.Kind.UNAVAILABLE, refused.kind());
        assertEquals("stream 'demo' is stopped", refused.getMessage());
        assertEquals(StreamState.STOPPED, core.stop("demo").state(), "stopping again changes nothing");
    }

    @Test
    void startingAStoppedStreamLetsViewersPlayAgain() throws Exception {
        core.bindSource(new MemorySource(500, 25, 1), TestSupport.props("demo", "file"));
        core.stop("demo");

        StreamInfo info = core.start("demo");

        assertEquals(StreamState.RUNNING, info.state());
        assertEquals("", info.reason());
        RecordingSink viewer = new RecordingSink();
        core.open("demo", viewer).play(null);
        assertTrue(viewer.awaitFrames(2, 30_000));
        assertEquals(StreamState.RUNNING, core.start("demo").state(), "starting a running stream changes nothing");
    }

    @Test
    void stoppingALiveStreamStopsItsFeedAndStartingClearsAFailure() throws Exception {
        MemoryLiveSource camera = new MemoryLiveSource(50, 1);
        core.bindSource(camera, TestSupport.props("cam", "webcam"));
        RecordingSink viewer = new RecordingSink();
        core.open("cam", viewer).play(null);
        assertTrue(viewer.awaitFrames(2, 30_000));

        core.stop("cam");

        assertEquals(EndReason.STOPPED, viewer.ends().get(0).reason());
        assertTrue(OnDemandPlaybackTest.waitUntil(() -> camera.stops.get() == 1), "the feed stopped");
        core.start("cam");
        RecordingSink again = new RecordingSink();
        core.open("cam", again).play(null);
        assertTrue(again.awaitFrames(2, 30_000), "the next play starts the feed");
        camera.fail("camera unplugged");
        assertTrue(again.awaitEnd(30_000));
        assertEquals(StreamState.FAILED, core.get("cam").orElseThrow().state());

        StreamInfo started = core.start("cam");

        assertEquals(StreamState.RUNNING, started.state());
        assertEquals("", started.reason());
        RecordingSink third = new RecordingSink();
        core.open("cam", third).play(null);
        assertTrue(third.awaitFrames(2, 30_000));
        assertEquals(3, camera.starts.get());
    }

    @Test
    void aStopIsRememberedByNameWhenTheSourceComesBackAndAcrossARestart() throws Exception {
        core.useStore(new ConfigAdminStore(admin));
        MemorySource source = new MemorySource(10, 25, 1);
        Map<String, Object> props = TestSupport.props("demo", "file");
        core.bindSource(source, props);
        core.stop("demo");
        assertEquals(Set.of("demo"), new ConfigAdminStore(admin).loadStopped());

        core.unbindSource(source, props);
        core.bindSource(source, props);
        assertEquals(StreamState.STOPPED, core.get("demo").orElseThrow().state(), "source came back");

        core.deactivate();
        core = newCore(Duration.ofSeconds(2));
        core.bindSource(source, TestSupport.props("demo", "file"));
        assertEquals(StreamState.RUNNING, core.get("demo").orElseThrow().state(), "before Config Admin is there");
        RecordingSink early = new RecordingSink();
        core.open("demo", early);
        core.useStore(new ConfigAdminStore(admin));
        assertEquals(StreamState.STOPPED, core.get("demo").orElseThrow().state(), "restored from Config Admin");
        assertEquals(EndReason.STOPPED, early.ends().get(0).reason());

        core.start("demo");
        assertEquals(Set.of(), new ConfigAdminStore(admin).loadStopped());
    }

    @Test
    void stopsMadeWhileConfigAdminWasAbsentAreSavedWhenItArrives() throws Exception {
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("demo", "file"));
        core.stop("demo");

        core.useStore(new ConfigAdminStore(admin));

        assertEquals(Set.of("demo"), new ConfigAdminStore(admin).loadStopped());
    }

    @Test
    void aConfiguredStreamWhoseSourceIsAbsentCanBeStoppedAndStartedButAnUnknownNameIsNotFound() throws Exception {
        core.useStore(new ConfigAdminStore(admin));
        admin.getFactoryConfiguration(FILE_PID, "later", "?").update(new java.util.Hashtable<>(
                Map.of("name", "later", "path", "later.mjpeg")));

        StreamInfo info = core.stop("later");

        assertEquals(StreamState.STOPPED, info.state());
        assertEquals("file", info.type());
        core.bindSource(new MemorySource(10, 25, 1), TestSupport.props("later", "file"));
        assertEquals(StreamState.STOPPED, core.get("later").orElseThrow().state());
        assertEquals(StreamException.Kind.NOT_FOUND, kind(() -> core.stop("nothing")));
        assertEquals(StreamException.Kind.NOT_FOUND, kind(() -> core.start("nothing")));
        assertEquals("no stream named 'nothing'", message(() -> core.stop("nothing")));
    }

    @Test
    void deletingAStoppedStreamForgetsTheStopSoANewStreamOfThatNamePlays() throws Exception {
        core.useStore(new FileSourceBundle());
        core.create("clip", "file", Map.of("path", "a.mjpeg"));
        core.stop("clip");

        core.delete("clip");

        assertEquals(Set.of(), new ConfigAdminStore(admin).loadStopped());
        assertEquals(StreamState.RUNNING, core.create("clip", "file", Map.of("path", "b.mjpeg")).state());
    }
}
