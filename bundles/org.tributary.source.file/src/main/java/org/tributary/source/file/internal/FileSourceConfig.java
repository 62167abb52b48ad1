package org.tributary.source.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One MJPEG file served as one on-demand stream (factory PID {@value FileSourceComponent#PID}). */
@ObjectClassDefinition(id = FileSourceComponent.PID, name = "MJPEG file",
        description = "One MJPEG file (raw concatenated JPEG or the 5-digit length-prefixed lab format) as an on-demand stream")
@interface FileSourceConfig {

    @AttributeDefinition(name = "Stream name", description = "The RTSP path, e.g. 'intro' for rtsp://host:8554/intro; "
            + "slashes separate parts, '..' is not allowed")
    String name();

    @AttributeDefinition(name = "File", description = "Path of the MJPEG file; relative paths start at the working directory")
    String path();

    @AttributeDefinition(name = "Frame rate", description = "Frames per second; frame i is shown at i / frame rate", min = "0.001")
    double frameRate() default 25;

    @AttributeDefinition(name = "Loop", description = "Start again at the first frame after the last")
    boolean loop() default true;
}
