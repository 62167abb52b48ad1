package org.tributary.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonSettingsTest {

    @Test
    void valuesKeepTheirJsonTypesAndNullResets() throws Exception {
        Map<String, Object> s = JsonSettings.of(Exchange.JSON.readTree(
                "{\"path\":\"a.mjpeg\",\"frameRate\":12.5,\"loop\":false,\"count\":3,\"tags\":[\"a\",\"b\"],\"x\":null}"));
        assertEquals("a.mjpeg", s.get("path"));
        assertEquals(12.5, s.get("frameRate"));
        assertEquals(false, s.get("loop"));
        assertEquals(3L, s.get("count"));
        assertEquals(List.of("a", "b"), s.get("tags"));
        assertTrue(s.containsKey("x") && s.get("x") == null);
    }

    @Test
    void anObjectValueIsRefusedNamingTheSetting() throws Exception {
        Problem p = assertThrows(Problem.class, () -> JsonSettings.of(Exchange.JSON.readTree("{\"path\":{\"a\":1}}")));
        assertEquals(400, p.status());
        assertEquals("path", p.field());
        assertThrows(Problem.class, () -> JsonSettings.of(Exchange.JSON.readTree("[1]")));
    }
}
