package org.tributary.source.relay.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.tributary.api.MediaSource;
import org.tributary.api.SettingsCheck;
import org.tributary.api.StreamException;

/**
 * Checks a relay's settings before the stream core stores them: the origin URL must be {@code rtsp://} with a host,
 * the transport TCP or UDP, the delays at least one second. Nothing is connected.
 */
@Component(property = MediaSource.SOURCE_TYPE + "=" + SourceRegistration.SOURCE_TYPE)
public class RelaySettingsCheck implements SettingsCheck {

    @Override
    public void check(Map<String, Object> settings) throws StreamException {
        try {
            of(settings);
        } catch (IllegalArgumentException e) {
            throw new StreamException(StreamException.Kind.INVALID, e.getMessage());
        }
    }

    /**
     * The relay that {@code settings} describe, with the defaults of {@link RelayConfig} for what they leave out.
     *
     * @throws IllegalArgumentException naming the setting that is wrong and what is allowed
     */
    static RelaySettings of(Map<String, ?> settings) {
        Object name = settings.get("name");
        Object url = settings.get("url");
        return new RelaySettings(name == null ? "" : name.toString(), url == null ? null : url.toString().strip(),
                RelaySettings.transport(text(settings.get("transport"))),
                !"false".equalsIgnoreCase(text(settings.get("onDemand")).strip()),
                number(settings, "reconnectDelaySeconds", 1), number(settings, "connectTimeoutSeconds", 5));
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static int number(Map<String, ?> settings, String key, int otherwise) {
        Object value = settings.get(key);
        if (value == null) {
            return otherwise;
        }
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting '" + key + "' must be a whole number, not '" + value + "'");
        }
    }
}
