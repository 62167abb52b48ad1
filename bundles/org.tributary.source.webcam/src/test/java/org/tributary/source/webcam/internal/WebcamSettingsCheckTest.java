package org.tributary.source.webcam.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.tributary.api.StreamException;

class WebcamSettingsCheckTest {

    private final WebcamSettingsCheck check = new WebcamSettingsCheck();

    private String refused(Map<String, Object> settings) {
        StreamException e = assertThrows(StreamException.class, () -> check.check(settings));
        assertEquals(StreamException.Kind.INVALID, e.kind());
        return e.getMessage();
    }

    @Test
    void aSettingRtpJpegCannotCarryIsRefusedByName() {
        assertEquals("setting 'height': width and height must be multiples of 8 (RTP/JPEG sends sizes in 8-pixel "
                + "units), got 640x479", refused(Map.of("name", "cam", "height", 479)));
        assertEquals("setting 'frameRate' must be 0.1 to 120, got 0.0", refused(Map.of("name", "cam", "frameRate", 0)));
        assertEquals("setting 'driver' must be 'default' or 'test-pattern', not 'v4l'",
                refused(Map.of("name", "cam", "driver", "v4l")));
    }

    @Test
    void theDefaultsPassWithoutOpeningACamera() throws Exception {
        check.check(Map.of("name", "cam"));
        check.check(Map.of("name", "cam", "device", "/dev/video9", "width", 320, "height", 240));
    }

    @Test
    void aConfigurationIsNamedByItsPidAndFile() {
        assertEquals("configuration org.tributary.source.webcam~cam (file:/d/cam.cfg)", WebcamSourceComponent
                .configuration(Map.of("service.pid", "org.tributary.source.webcam~cam", "felix.fileinstall.filename",
                        "file:/d/cam.cfg")));
    }
}
