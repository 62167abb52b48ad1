package org.tributary.source.webcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tributary.source.webcam.internal.CaptureSettings.Driver;

class CaptureSettingsTest {

    @Test
    void driverNamesAreReadLeniently() {
        assertEquals(Driver.DEFAULT, Driver.parse(null));
        assertEquals(Driver.DEFAULT, Driver.parse(" Default "));
        assertEquals(Driver.TEST_PATTERN, Driver.parse("test-pattern"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Driver.parse("v4l"));
        assertTrue(e.getMessage().contains("'default' or 'test-pattern'"), e.getMessage());
    }

    @Test
    void deviceIsAnIndexOrAName() {
        assertEquals(0, settings("", 640, 480).deviceIndex());
        assertEquals(3, settings("3", 640, 480).deviceIndex());
        assertEquals(-1, settings("/dev/video1", 640, 480).deviceIndex());
    }

    @Test
    void sizesRtpJpegCannotSendAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> settings("0", 2048, 480));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings("0", 642, 480));
        assertTrue(e.getMessage().contains("multiples of 8"), e.getMessage());
    }

    @Test
    void frameRateAndQualityMustBeInRange() {
        assertThrows(IllegalArgumentException.class,
                () -> new CaptureSettings("s", Driver.DEFAULT, "0", 640, 480, 0, 0.8));
        assertThrows(IllegalArgumentException.class,
                () -> new CaptureSettings("s", Driver.DEFAULT, "0", 640, 480, 15, 1.5));
    }

    private static CaptureSettings settings(String device, int width, int height) {
        return new CaptureSettings("s", Driver.DEFAULT, device, width, height, 15, 0.8);
    }
}
