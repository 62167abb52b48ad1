package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConfigAdminStoreTest {

    private static final String FILE = "org.tributary.source.file";
    private static final String GST = "org.tributary.source.gstreamer";

    private final MemoryConfigAdmin admin = new MemoryConfigAdmin();
    private final ConfigAdminStore store = new ConfigAdminStore(admin);

    @Test
    void aStreamIsAFactoryConfigurationNamedAfterItAndFoundByItsNameAcrossSourceTypes() throws Exception {
        store.create(FILE, "cams/front", Map.of("name", "cams/front", "path", "front.mjpeg"));
        store.create(GST, "lobby", Map.of("name", "lobby"));

        ConfigurationStore.Stored front = store.find("cams/front", List.of(GST, FILE)).orElseThrow();
        assertEquals(FILE + "~cams_front", front.pid());
        assertEquals(FILE, front.factoryPid());
        assertEquals(Map.of("name", "cams/front", "path", "front.mjpeg"), front.properties());
        assertEquals(GST, store.find("lobby", List.of(GST, FILE)).orElseThrow().factoryPid());
        assertTrue(store.find("lobby", List.of(FILE)).isEmpty(), "only the types asked for");
        assertTrue(store.find("cams/*", List.of(FILE)).isEmpty(), "a name is matched literally, never as a pattern");
    }

    @Test
    void twoNamesWithTheSameAliasGetTwoConfigurations() throws Exception {
        store.create(FILE, "a/b", Map.of("name", "a/b"));
        store.create(FILE, "a_b", Map.of("name", "a_b"));

        assertEquals(FILE + "~a_b", store.find("a/b", List.of(FILE)).orElseThrow().pid());
        String second = store.find("a_b", List.of(FILE)).orElseThrow().pid();
        assertEquals(FILE + "~a_b-" + String.format("%08x", "a_b".hashCode()), second);
        assertEquals("a/b", admin.configurations.get(FILE + "~a_b").getProperties().get("name"));
    }

    @Test
    void updateReplacesThePropertiesAndDeleteRemovesTheConfiguration() throws Exception {
        store.create(FILE, "clip", Map.of("name", "clip", "path", "a"));
        ConfigurationStore.Stored stored = store.find("clip", List.of(FILE)).orElseThrow();

        store.update(stored, Map.of("name", "clip", "path", "b", "loop", false));
        assertEquals(Map.of("name", "clip", "path", "b", "loop", false),
                store.find("clip", List.of(FILE)).orElseThrow().properties());

        store.delete(stored);
        assertTrue(store.find("clip", List.of(FILE)).isEmpty());
        assertNull(admin.listConfigurations(null));
    }

    @Test
    void theStoppedStreamsAreAStringArrayInTheCoresConfigurationWrittenOnlyWhenTheyChange() throws Exception {
        assertEquals(Set.of(), store.loadStopped());
        store.saveStopped(Set.of("b", "a"));
        assertArrayEquals(new String[] {"a", "b"},
                (String[]) admin.configurations.get(ConfigAdminStore.CORE_PID).getProperties().get("stopped"));
        assertEquals(Set.of("a", "b"), store.loadStopped());
        int updates = admin.updates.get();

        store.saveStopped(Set.of("a", "b"));

        assertEquals(updates, admin.updates.get(), "saving the same set again writes nothing");
        store.saveStopped(Set.of());
        assertEquals(Set.of(), store.loadStopped());
    }

    @Test
    void stoppedStreamsWrittenByHandInADeployFileAreRead() throws Exception {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("stopped", "demo, cams/front ,");
        admin.getConfiguration(ConfigAdminStore.CORE_PID, "?").update(properties);
        assertEquals(Set.of("demo", "cams/front"), store.loadStopped());
    }
}
