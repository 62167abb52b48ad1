package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.tributary.api.StreamException;

class SettingsTest {

    private static final Map<String, Object> NAMED = Map.of("name", "clip");

    private static String invalid(Map<String, Object> stored, Map<String, Object> changes) {
        StreamException e = assertThrows(StreamException.class,
                () -> Settings.merge("file", TestSchemas.file(), stored, changes));
        assertEquals(StreamException.Kind.INVALID, e.kind());
        return e.getMessage();
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void textFromTheShellBecomesTheDeclaredTypes() throws Exception {
        Map<String, Object> result = Settings.merge("file", TestSchemas.file(), NAMED,
                map("path", "/media/clip.mjpeg", "frameRate", "12.5", "loop", " FALSE "));
        assertEquals(Map.of("name", "clip", "path", "/media/clip.mjpeg", "frameRate", 12.5, "loop", false), result);
    }

    @Test
    void typedValuesFromJsonAreAcceptedAndWholeNumbersFitADouble() throws Exception {
        Map<String, Object> result = Settings.merge("file", TestSchemas.file(), NAMED,
                map("path", "c.mjpeg", "frameRate", 30L, "loop", true));
        assertEquals(30.0, result.get("frameRate"));
        assertEquals(Boolean.TRUE, result.get("loop"));
    }

    @Test
    void anUnknownSettingIsRefusedListingTheKnownOnes() {
        assertEquals("unknown setting 'fps' for type 'file'; known: frameRate, loop, path",
                invalid(NAMED, map("path", "c.mjpeg", "fps", "30")));
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedNamingTheSetting() {
        assertEquals("setting 'frameRate' for type 'file' must be a number, not 'fast'",
                invalid(NAMED, map("path", "c.mjpeg", "frameRate", "fast")));
        assertEquals("setting 'loop' for type 'file' must be true or false, not 'yes'",
                invalid(NAMED, map("path", "c.mjpeg", "loop", "yes")));
        assertEquals("setting 'frameRate' for type 'file' must be a number, not 'NaN'",
                invalid(NAMED, map("path", "c.mjpeg", "frameRate", "NaN")));
        assertEquals("setting 'frameRate' for type 'file' takes one value, not 2",
                invalid(NAMED, map("path", "c.mjpeg", "frameRate", List.of(1, 2))));
    }

    @Test
    void aRequiredSettingWithoutDefaultMustBeGivenAndNotBlank() {
        assertEquals("setting 'path' (File) is required for type 'file'", invalid(NAMED, map("loop", "true")));
        assertEquals("setting 'path' (File) is required for type 'file' and may not be empty",
                invalid(NAMED, map("path", "  ")));
    }

    @Test
    void theMetatypesOwnValidationDecides() {
        assertEquals("setting 'frameRate' for type 'file': Value 0.0 is less than the minimum 0.001",
                invalid(NAMED, map("path", "c.mjpeg", "frameRate", "0")));
    }

    @Test
    void anUpdateKeepsStoredBookkeepingRevalidatesStoredTextAndNullFallsBackToTheDefault() throws Exception {
        Map<String, Object> stored = map("name", "clip", "path", "c.mjpeg", "frameRate", "10",
                "felix.fileinstall.filename", "file:/deploy/x.cfg", "loop", false);
        Map<String, Object> result = Settings.merge("file", TestSchemas.file(), stored,
                map("loop", null, "path", "d.mjpeg"));
        assertEquals(Map.of("name", "clip", "path", "d.mjpeg", "frameRate", 10.0, "felix.fileinstall.filename",
                "file:/deploy/x.cfg"), result);
        assertFalse(result.containsKey("loop"));
        assertEquals("stored setting 'frameRate' for type 'file' must be a number, not 'x'",
                invalid(map("name", "clip", "path", "c", "frameRate", "x"), map("loop", "true")));
    }

    @Test
    void multiValuedSettingsBecomeTypedArraysOrListsAndOptionsAreEnforced() throws Exception {
        TestSchemas.Ocd schema = new TestSchemas.Ocd("p", List.of(
                new TestSchemas.Ad("ports", "Ports", AttributeDefinition.INTEGER, 3, null, false, null, null),
                new TestSchemas.Ad("hosts", "Hosts", AttributeDefinition.STRING, -5, null, false, null, null),
                new TestSchemas.Ad("mode", "Mode", AttributeDefinition.STRING, 0, null, false,
                        new String[] {"fast", "slow"}, null)));
        Map<String, Object> result = Settings.merge("t", schema, Map.of(),
                map("ports", List.of("5000", 5002L), "hosts", new String[] {"a", "b"}, "mode", "slow"));
        assertArrayEquals(new Integer[] {5000, 5002}, (Integer[]) result.get("ports"));
        assertEquals(List.of("a", "b"), result.get("hosts"));
        assertEquals("setting 'ports' for type 't' takes at most 3 values, not 4",
                assertThrows(StreamException.class, () -> Settings.merge("t", schema, Map.of(),
                        map("ports", new int[] {1, 2, 3, 4}))).getMessage());
        assertEquals("setting 'ports' for type 't' must be a whole number from -2147483648 to 2147483647, not '1.5'",
                assertThrows(StreamException.class, () -> Settings.merge("t", schema, Map.of(),
                        map("ports", "1.5"))).getMessage());
        assertEquals("setting 'mode' for type 't' must be one of fast, slow, not 'medium'",
                assertThrows(StreamException.class, () -> Settings.merge("t", schema, Map.of(),
                        map("mode", "medium"))).getMessage());
    }

    @Test
    void withoutAMetatypeSettingsAreStoredAsGivenIfConfigAdminCanStoreThem() throws Exception {
        assertEquals(Map.of("name", "clip", "anything", "x", "n", 3),
                Settings.merge("file", null, NAMED, map("anything", "x", "n", 3)));
        StreamException e = assertThrows(StreamException.class,
                () -> Settings.merge("file", null, NAMED, map("when", new Object())));
        assertEquals(StreamException.Kind.INVALID, e.kind());
    }
}
