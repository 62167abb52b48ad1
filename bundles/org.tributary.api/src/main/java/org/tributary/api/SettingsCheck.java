package org.tributary.api;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Checks the settings of one source type's streams beyond what its metatype can say (a URL's scheme and host, a
 * pipeline that parses), so that {@link Streams#create} and {@link Streams#update} refuse a bad setting before
 * anything is stored. A source bundle registers it with the service property {@value MediaSource#SOURCE_TYPE}
 * naming its type; without one, the metatype's checks are all there is.
 *
 * <p>Thread-safe. {@link #check(Map)} may take a moment (parse a pipeline) but must not start anything or wait
 * on the network.
 *
 * @since 1.4
 */
@ConsumerType
public interface SettingsCheck {

    /**
     * Checks the settings a stream of the type would be stored with.
     *
     * @param settings every setting as it would be stored (each value of its metatype type, defaults not
     *        filled in), the stream's name under {@code name}
     * @throws StreamException {@link StreamException.Kind#INVALID} with a message of the form
     *         {@code setting 'url' ...} that names the setting and says what is allowed
     */
    void check(Map<String, Object> settings) throws StreamException;
}
