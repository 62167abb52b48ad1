package org.tributary.source.gstreamer.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One GStreamer pipeline served as one live stream (factory PID {@value GstSourceComponent#PID}). */
@ObjectClassDefinition(id = GstSourceComponent.PID, name = "GStreamer pipeline",
        description = "Any GStreamer pipeline producing JPEG or H.264, served as a live stream (by default running only while someone watches)")
@interface GstSourceConfig {

    @AttributeDefinition(name = "Stream name", description = "The RTSP path, e.g. 'cam' for rtsp://host:8554/cam")
    String name();

    @AttributeDefinition(name = "Pipeline", description = "gst-launch syntax, ending in the element that produces JPEG "
            + "or H.264, e.g. 'v4l2src ! videoconvert ! video/x-raw,format=I420 ! x264enc tune=zerolatency'; "
            + "the source appends the parser, caps and appsink it needs")
    String pipeline();

    @AttributeDefinition(name = "Codec", description = "What the pipeline produces; AUTO tells it from the caps of the "
            + "pipeline's last element", options = { @Option(label = "Detect", value = "AUTO"),
                    @Option(label = "JPEG", value = "JPEG"), @Option(label = "H.264", value = "H264") })
    String codec() default "AUTO";

    @AttributeDefinition(name = "Frame rate", description = "Nominal frames per second until the pipeline's caps say",
            min = "0.001")
    double frameRate() default 30;

    @AttributeDefinition(name = "Restart delay", description = "Seconds before the first restart after a failure, "
            + "doubled after each failed restart up to 30; 0 turns restarts off", min = "0")
    int restartDelaySeconds() default 1;

    @AttributeDefinition(name = "Restart attempts", description = "Failed restarts in a row before the stream is "
            + "marked FAILED and its viewers are told", min = "0")
    int restartAttempts() default 6;

    @AttributeDefinition(name = "Restart at end of stream", description = "auto: restart a live pipeline, end a file; "
            + "true: always restart (a file loops); false: end the stream", options = {
                    @Option(label = "Live pipelines only", value = "auto"), @Option(label = "Always", value = "true"),
                    @Option(label = "Never", value = "false") })
    String restartOnEos() default "auto";

    @AttributeDefinition(name = "On demand", description = "true: the pipeline runs only while someone watches; "
            + "false: it runs whenever the stream is mounted and not stopped, so a viewer gets a picture at once")
    boolean onDemand() default true;

    @AttributeDefinition(name = "Probe at activation", description = "For H.264, run the pipeline once at activation "
            + "until its first keyframe, so SDP carries sprop-parameter-sets before anyone has played")
    boolean probe() default true;
}
