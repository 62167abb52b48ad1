package org.tributary.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.tributary.api.StreamException;

class ProblemTest {

    @Test
    void streamExceptionKindsMapToTheStatusesTheApiPrescribes() {
        assertEquals(404, Problem.of(new StreamException(StreamException.Kind.NOT_FOUND, "x")).status());
        assertEquals(503, Problem.of(new StreamException(StreamException.Kind.UNAVAILABLE, "x")).status());
        assertEquals(409, Problem.of(new StreamException(StreamException.Kind.CONFLICT, "x")).status());
        assertEquals(400, Problem.of(new StreamException(StreamException.Kind.INVALID, "x")).status());
    }

    @Test
    void anInvalidSettingNamesItsField() {
        Problem p = Problem.of(new StreamException(StreamException.Kind.INVALID,
                "setting 'frameRate' for type 'file' must be a number, not 'fast'"));
        assertEquals("frameRate", p.field());
        assertNull(Problem.of(new StreamException(StreamException.Kind.INVALID, "the stream name is empty")).field());
    }

    @Test
    void methodNotAllowedListsTheAllowedMethods() {
        Problem p = Problem.methodNotAllowed("PUT", "GET", "POST");
        assertEquals(405, p.status());
        assertEquals("GET, POST", p.allow());
    }
}
