package org.tributary.source.gstreamer.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.tributary.api.MediaSource;
import org.tributary.api.SettingsCheck;
import org.tributary.api.StreamException;

/**
 * Checks a GStreamer source's settings before the stream core stores them: the pipeline must parse in gst-launch
 * syntax with every element installed, and tell its codec when {@code codec} is AUTO. The pipeline is parsed, never
 * started.
 */
@Component(property = MediaSource.SOURCE_TYPE + "=" + SourceRegistration.SOURCE_TYPE)
public class GstSettingsCheck implements SettingsCheck {

    @Override
    public void check(Map<String, Object> settings) throws StreamException {
        try {
            Object name = settings.get("name");
            Object pipeline = settings.get("pipeline");
            GstSourceComponent.settings(name == null ? "" : name.toString(),
                    pipeline == null ? null : pipeline.toString(), text(settings.get("codec")),
                    number(settings.get("frameRate"), 30), (int) number(settings.get("restartDelaySeconds"), 1),
                    (int) number(settings.get("restartAttempts"), 6), text(settings.get("restartOnEos")), false);
        } catch (IllegalArgumentException e) {
            throw new StreamException(StreamException.Kind.INVALID, e.getMessage());
        } catch (IllegalStateException e) {
            // No GStreamer on this machine: no pipeline can be checked, nor run.
            throw new StreamException(StreamException.Kind.UNAVAILABLE, e.getMessage());
        }
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static double number(Object value, double otherwise) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return value == null ? otherwise : Double.parseDouble(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting must be a number, not '" + value + "'");
        }
    }
}
