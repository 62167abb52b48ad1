package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.resource.Capability;
import org.osgi.resource.Resource;
import org.tributary.api.SourceType;

class SourceTypeCatalogTest {

    /** A manifest capability as the framework reads it from Provide-Capability. */
    record Cap(String namespace, Map<String, Object> attributes) implements Capability {
        @Override
        public String getNamespace() {
            return namespace;
        }

        @Override
        public Map<String, String> getDirectives() {
            return Map.of();
        }

        @Override
        public Map<String, Object> getAttributes() {
            return attributes;
        }

        @Override
        public Resource getResource() {
            return null;
        }
    }

    static Cap sourceType(String type, String pid, String description) {
        return new Cap(SourceType.NAMESPACE, Map.of(SourceType.NAMESPACE, type, SourceType.FACTORY_PID, pid,
                SourceType.DESCRIPTION, description));
    }

    @Test
    void capabilitiesOfTheNamespaceBecomeSourceTypesOfTheirBundle() {
        List<SourceType> types = SourceTypeCatalog.parse("org.tributary.source.file", List.of(
                sourceType("file", "org.tributary.source.file", "MJPEG file"),
                new Cap("osgi.service", Map.of("objectClass", List.of("x"))),
                new Cap(SourceType.NAMESPACE, Map.of(SourceType.NAMESPACE, "broken"))));
        assertEquals(List.of(new SourceType("file", "org.tributary.source.file", "MJPEG file",
                "org.tributary.source.file")), types);
    }

    @Test
    void typesAreSortedAndLeaveWithTheirBundle() {
        SourceTypeCatalog catalog = new SourceTypeCatalog();
        catalog.put(7, null, List.of(new SourceType("webcam", "w.pid", "", "w")));
        catalog.put(3, null, List.of(new SourceType("gstreamer", "g.pid", "", "g"),
                new SourceType("file", "f.pid", "", "f")));
        assertEquals(List.of("file", "gstreamer", "webcam"), catalog.list().stream().map(SourceType::type).toList());
        assertEquals("installed: file, gstreamer, webcam", catalog.names());
        assertEquals("g.pid", catalog.find("gstreamer").orElseThrow().type().factoryPid());
        assertEquals("webcam", catalog.findByFactoryPid("w.pid").orElseThrow().type().type());

        catalog.remove(3);

        assertEquals(List.of("webcam"), catalog.list().stream().map(SourceType::type).toList());
        assertTrue(catalog.find("file").isEmpty());
        catalog.remove(7);
        assertEquals("none is installed", catalog.names());
    }

    @Test
    void whenTwoBundlesDeclareOneTypeTheFirstInstalledProvidesItUntilItLeaves() {
        SourceTypeCatalog catalog = new SourceTypeCatalog();
        catalog.put(9, null, List.of(new SourceType("file", "new.pid", "", "b")));
        catalog.put(4, null, List.of(new SourceType("file", "old.pid", "", "a")));
        assertEquals("old.pid", catalog.find("file").orElseThrow().type().factoryPid());
        assertEquals(1, catalog.list().size());
        catalog.remove(4);
        assertEquals("new.pid", catalog.find("file").orElseThrow().type().factoryPid());
    }
}
