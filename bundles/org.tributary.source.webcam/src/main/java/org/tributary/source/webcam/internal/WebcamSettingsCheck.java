package org.tributary.source.webcam.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.tributary.api.MediaSource;
import org.tributary.api.SettingsCheck;
import org.tributary.api.StreamException;

/**
 * Checks a webcam source's settings before the stream core stores them: the driver, a picture size RTP/JPEG can
 * carry, the frame rate and quality. No camera is opened.
 */
@Component(property = MediaSource.SOURCE_TYPE + "=" + WebcamSourceComponent.SOURCE_TYPE)
public class WebcamSettingsCheck implements SettingsCheck {

    @Override
    public void check(Map<String, Object> settings) throws StreamException {
        try {
            Object device = settings.get("device");
            new CaptureSettings(String.valueOf(settings.getOrDefault("name", "")),
                    CaptureSettings.Driver.parse(text(settings.get("driver"))), device == null ? null : device.toString(),
                    (int) number(settings, "width", 640), (int) number(settings, "height", 480),
                    number(settings, "frameRate", 15), number(settings, "quality", 0.8));
        } catch (IllegalArgumentException e) {
            throw new StreamException(StreamException.Kind.INVALID, e.getMessage());
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static double number(Map<String, Object> settings, String key, double otherwise) {
        Object value = settings.get(key);
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return value == null ? otherwise : Double.parseDouble(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a number, not '" + value + "'");
        }
    }
}
