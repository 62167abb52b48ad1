package org.tributary.source.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A directory whose MJPEG files are each served as a stream (factory PID {@value DirectorySourceComponent#PID}). */
@ObjectClassDefinition(id = DirectorySourceComponent.PID, name = "MJPEG directory",
        description = "Every MJPEG file directly in a directory as an on-demand stream named after the file")
@interface DirectorySourceConfig {

    @AttributeDefinition(name = "Directory", description = "Path of the directory; relative paths start at the working directory")
    String path();

    @AttributeDefinition(name = "Frame rate", description = "Frames per second of every file", min = "0.001")
    double frameRate() default 25;

    @AttributeDefinition(name = "Loop", description = "Start each file again at its first frame after the last")
    boolean loop() default false;

    @AttributeDefinition(name = "Prefix", description = "Stream names are '<prefix>/<file name>'; empty for just the file name",
            required = false)
    String prefix() default "";
}
