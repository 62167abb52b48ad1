package org.tributary.source.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tributary.api.Codec;
import org.tributary.source.gstreamer.internal.SourceSettings.EosAction;

class SourceSettingsTest {

    @Test
    void restartDelayDoublesFromTheConfiguredStartUpToThirtySeconds() {
        SourceSettings settings = new SourceSettings("s", "p", Codec.H264, 30, 1, 8, EosAction.AUTO, false);
        long[] expected = { 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000 };
        for (int attempt = 0; attempt < expected.length; attempt++) {
            assertEquals(expected[attempt], settings.restartDelayMillis(attempt), "attempt " + attempt);
        }
        assertEquals(30000, new SourceSettings("s", "p", Codec.H264, 30, 45, 8, EosAction.AUTO, false)
                .restartDelayMillis(0));
    }

    @Test
    void zeroDelayOrZeroAttemptsTurnRestartsOff() {
        assertFalse(new SourceSettings("s", "p", Codec.JPEG, 30, 0, 6, EosAction.AUTO, false).restarts());
        assertFalse(new SourceSettings("s", "p", Codec.JPEG, 30, 1, 0, EosAction.AUTO, false).restarts());
        assertTrue(new SourceSettings("s", "p", Codec.JPEG, 30, 1, 1, EosAction.AUTO, false).restarts());
    }

    @Test
    void restartOnEosAutoRestartsOnlyLivePipelines() {
        assertEquals(EosAction.AUTO, EosAction.parse(null));
        assertEquals(EosAction.AUTO, EosAction.parse("auto"));
        assertEquals(EosAction.RESTART, EosAction.parse("TRUE"));
        assertEquals(EosAction.END, EosAction.parse("false"));
        assertTrue(EosAction.AUTO.restarts(true));
        assertFalse(EosAction.AUTO.restarts(false));
        assertTrue(EosAction.RESTART.restarts(false));
        assertFalse(EosAction.END.restarts(true));
        assertThrows(IllegalArgumentException.class, () -> EosAction.parse("sometimes"));
    }
}
