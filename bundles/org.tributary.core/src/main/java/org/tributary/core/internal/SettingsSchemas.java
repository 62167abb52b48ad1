package org.tributary.core.internal;

import org.osgi.service.metatype.ObjectClassDefinition;

/** Where the settings of a source type are described: its factory PID's metatype. */
@FunctionalInterface
interface SettingsSchemas {

    /** The description of the type's settings, or {@code null} if its bundle publishes none. Never blocks long. */
    ObjectClassDefinition find(SourceTypeCatalog.Entry type);
}
