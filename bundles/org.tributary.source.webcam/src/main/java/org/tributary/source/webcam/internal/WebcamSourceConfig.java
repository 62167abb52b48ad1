package org.tributary.source.webcam.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One camera served as one live JPEG stream (factory PID {@value WebcamSourceComponent#PID}). */
@ObjectClassDefinition(id = WebcamSourceComponent.PID, name = "Webcam",
        description = "A camera through Webcam Capture (V4L2 on Linux), JPEG-encoded (by default captured only while someone watches)")
@interface WebcamSourceConfig {

    @AttributeDefinition(name = "Stream name", description = "The RTSP path, e.g. 'cam' for rtsp://host:8554/cam")
    String name();

    @AttributeDefinition(name = "Device", description = "The camera's index among the driver's cameras (0 is the "
            + "first) or its name, or a part of it such as '/dev/video1'")
    String device() default "0";

    @AttributeDefinition(name = "Width", description = "Requested picture width in pixels; the camera may pick "
            + "the nearest size it has", min = "16", max = "2040")
    int width() default 640;

    @AttributeDefinition(name = "Height", description = "Requested picture height in pixels", min = "16", max = "2040")
    int height() default 480;

    @AttributeDefinition(name = "Frame rate", description = "Frames captured per second", min = "0.1", max = "120")
    double frameRate() default 15;

    @AttributeDefinition(name = "JPEG quality", description = "From 0.05 (smallest) to 1 (best)", min = "0.05",
            max = "1")
    double quality() default 0.8;

    @AttributeDefinition(name = "Driver", description = "default: the cameras of the machine (V4L2 on Linux); "
            + "test-pattern: generated moving images with a frame counter, no camera needed (tests and demos)",
            options = { @Option(label = "Cameras of this machine", value = "default"),
                    @Option(label = "Generated test pattern", value = "test-pattern") })
    String driver() default "default";

    @AttributeDefinition(name = "On demand", description = "true: the camera captures only while someone watches; "
            + "false: it captures whenever the stream is mounted and not stopped, so a viewer gets a picture at once")
    boolean onDemand() default true;
}
