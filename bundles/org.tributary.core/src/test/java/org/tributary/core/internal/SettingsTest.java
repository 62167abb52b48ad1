package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

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
        assertEquals("setting 'frameRate' for type 'file' must be at least 0.001, got 0",
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

    @Test
    void aRefusedBoundIsNamedWithTheValueGiven() {
        // Felix's metatype says only "Value is less than minimum"; the message names the bound it enforces.
        Function<String, String> felixLike = v -> {
            long n = Long.parseLong(v);
            return n < 1 ? "Value is less than minimum" : n > 120 ? "Value is greater than maximum" : "";
        };
        TestSchemas.Ocd schema = new TestSchemas.Ocd("p", List.of(
                new TestSchemas.Ad("frameRate", "Frame rate", AttributeDefinition.INTEGER, 0, null, false, null,
                        felixLike)));
        assertEquals("setting 'frameRate' for type 'webcam' must be at least 1, got 0",
                assertThrows(StreamException.class, () -> Settings.merge("webcam", schema, Map.of(),
                        map("frameRate", "0"))).getMessage());
        assertEquals("setting 'frameRate' for type 'webcam' must be at most 120, got 500",
                assertThrows(StreamException.class, () -> Settings.merge("webcam", schema, Map.of(),
                        map("frameRate", 500))).getMessage());
        assertEquals("setting 'frameRate' for type 'webcam' must be at least 1, got -3000000000",
                assertThrows(StreamException.class, () -> Settings.merge("webcam", new TestSchemas.Ocd("p", List.of(
                        new TestSchemas.Ad("frameRate", "Frame rate", AttributeDefinition.LONG, 0, null, false, null,
                                felixLike))), Map.of(), map("frameRate", "-3000000000"))).getMessage());
    }

    @Test
    void anOptionMatchesInAnyCaseAndIsStoredAsDeclared() throws Exception {
        TestSchemas.Ocd schema = new TestSchemas.Ocd("p", List.of(
                new TestSchemas.Ad("transport", "Transport", AttributeDefinition.STRING, 0, null, false,
                        new String[] {"TCP", "UDP"}, null)));
        assertEquals("UDP", Settings.merge("relay", schema, Map.of(), map("transport", "udp")).get("transport"));
        assertEquals("TCP", Settings.merge("relay", schema, Map.of(), map("transport", " Tcp ")).get("transport"));
        assertEquals("setting 'transport' for type 'relay' must be one of TCP, UDP, not 'sctp'",
                assertThrows(StreamException.class, () -> Settings.merge("relay", schema, Map.of(),
                        map("transport", "sctp"))).getMessage());
    }

    @Test
    void shownSettingsLeaveOutBookkeepingAndMaskSecrets() {
        TestSchemas.Ocd schema = new TestSchemas.Ocd("p", List.of(
                new TestSchemas.Ad("url", "URL", AttributeDefinition.STRING, 0, null, false, null, null),
                new TestSchemas.Ad("secret", "Secret", AttributeDefinition.PASSWORD, 0, null, false, null, null)));
        Map<String, Object> shown = Settings.shown(schema, map("name", "r1", "url",
                "rtsp://admin:hunter2@cam.local:554/live", "secret", "s3", "service.factoryPid", "x",
                "felix.fileinstall.filename", "file:/d/r1.cfg", "transport", "TCP"));
        assertEquals(Map.of("url", "rtsp://admin:***@cam.local:554/live", "secret", "***", "transport", "TCP"), shown);
        assertEquals(List.of("url", "secret", "transport").stream().sorted().toList(), List.copyOf(shown.keySet()));
    }
}
