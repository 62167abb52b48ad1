package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StreamNamesTest {

    @Test
    void lettersDigitsDotsDashesUnderscoresAndSlashesBetweenPartsAreAccepted() {
        for (String name : new String[] {"demo", "movie.Mjpeg", "cams/front-door_2", "a", "x".repeat(200)}) {
            assertNull(StreamNames.problem(name), name);
        }
    }

    @Test
    void everyRejectedNameGetsAReasonThatNamesTheProblem() {
        assertEquals("the stream name is empty", StreamNames.problem(""));
        assertEquals("the stream name is empty", StreamNames.problem(null));
        assertTrue(StreamNames.problem("x".repeat(201)).contains("at most 200"));
        assertTrue(StreamNames.problem("/demo").contains("starts with '/'"));
        assertTrue(StreamNames.problem("a b").contains("a space"));
        assertTrue(StreamNames.problem("a%2Fb").contains("'%'"));
        assertTrue(StreamNames.problem("a\u0000b").contains("U+0000"));
        assertTrue(StreamNames.problem("caméra").contains("'é'"));
        assertTrue(StreamNames.problem("a//b").contains("empty part"));
        assertTrue(StreamNames.problem("a/").contains("empty part"));
        assertTrue(StreamNames.problem("a/../b").contains("'..'"));
        assertTrue(StreamNames.problem("..").contains("'..'"));
        assertTrue(StreamNames.problem("a/./b").contains("'.'"));
    }
}
