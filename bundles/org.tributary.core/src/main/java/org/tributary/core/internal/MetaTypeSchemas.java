package org.tributary.core.internal;

import java.util.Arrays;

import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/** Settings schemas from the metatype of the bundle that declares the source type. */
final class MetaTypeSchemas implements SettingsSchemas {

    final MetaTypeService metaType;

    MetaTypeSchemas(MetaTypeService metaType) {
        this.metaType = metaType;
    }

    @Override
    public ObjectClassDefinition find(SourceTypeCatalog.Entry type) {
        if (type.bundle() == null) {
            return null;
        }
        MetaTypeInformation information = metaType.getMetaTypeInformation(type.bundle());
        if (information == null) {
            return null;
        }
        String pid = type.type().factoryPid();
        if (!contains(information.getFactoryPids(), pid) && !contains(information.getPids(), pid)) {
            return null;
        }
        try {
            return information.getObjectClassDefinition(pid, null);
        } catch (IllegalArgumentException e) {
            // The bundle was updated between the two calls and no longer describes the PID.
            return null;
        }
    }

    private static boolean contains(String[] values, String value) {
        return values != null && Arrays.asList(values).contains(value);
    }
}
