package org.tributary.source.gstreamer.internal;

import java.util.ArrayList;
import java.util.List;

import org.freedesktop.gstreamer.Bin;
import org.freedesktop.gstreamer.Caps;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.GstException;
import org.freedesktop.gstreamer.Pad;
import org.freedesktop.gstreamer.glib.GError;
import org.tributary.api.Codec;

/**
 * Turns a configured pipeline (gst-launch syntax, ending in the element that produces JPEG or H.264) into
 * the pipeline this bundle runs: the configured one, the caps Tributary needs, and an appsink named
 * {@value #SINK_NAME}.
 */
final class LaunchLine {

    /** The name of the appsink appended to every pipeline. */
    static final String SINK_NAME = "tributary_sink";

    // One access unit per buffer in byte-stream form, SPS and PPS before every IDR: a viewer can join at any
    // keyframe, and a frame goes to RTP without rewriting.
    private static final String H264_TAIL =
            " ! h264parse config-interval=-1 ! video/x-h264,stream-format=byte-stream,alignment=au";
    private static final String JPEG_TAIL = " ! image/jpeg";
    private static final String SINK =
            " ! appsink name=" + SINK_NAME + " emit-signals=true sync=false max-buffers=2 drop=true";

    private LaunchLine() {
    }

    /** The whole pipeline for {@code pipeline} producing {@code codec}. */
    static String of(String pipeline, Codec codec) {
        return pipeline.strip() + (codec == Codec.H264 ? H264_TAIL : JPEG_TAIL) + SINK;
    }

    /**
     * The codec {@code pipeline} produces, told from the caps its unlinked output can take; parses the pipeline
     * without running it.
     *
     * @throws IllegalArgumentException if the pipeline does not parse, has no unlinked output, or could produce
     *         both JPEG and H.264 or neither (then the configuration must name the codec)
     */
    static Codec detectCodec(String pipeline) {
        Bin bin = parse(pipeline);
        try {
            Pad output = bin.getStaticPad("src");
            if (output == null) {
                throw new IllegalArgumentException("setting 'pipeline' has no unlinked output to take frames from; "
                        + "end it with the element that makes JPEG or H.264");
            }
            Caps caps = output.queryCaps(null);
            boolean jpeg = !caps.intersect(Caps.fromString("image/jpeg")).isEmpty();
            boolean h264 = !caps.intersect(Caps.fromString("video/x-h264")).isEmpty();
            if (jpeg == h264) {
                throw new IllegalArgumentException("setting 'codec' is AUTO, but the pipeline's output offers "
                        + caps + ", which is not one of JPEG or H.264; set 'codec' to JPEG or H264");
            }
            return jpeg ? Codec.JPEG : Codec.H264;
        } finally {
            bin.dispose();
        }
    }

    /**
     * Checks that {@code pipeline} parses (gst-launch syntax, every element installed) and has an unlinked output,
     * without running it; with {@code codec} {@code null} (AUTO) also that its output tells the codec.
     *
     * @throws IllegalArgumentException naming the setting at fault and why
     */
    static void check(String pipeline, Codec codec) {
        if (codec == null) {
            detectCodec(pipeline);
            return;
        }
        Bin bin = parse(pipeline);
        try {
            if (bin.getStaticPad("src") == null) {
                throw new IllegalArgumentException("setting 'pipeline' has no unlinked output to take frames from; "
                        + "end it with the element that makes JPEG or H.264");
            }
        } finally {
            bin.dispose();
        }
    }

    // The pipeline as a bin with ghost pads for its unlinked ends; the caller disposes it.
    private static Bin parse(String pipeline) {
        if (pipeline == null || pipeline.isBlank()) {
            throw new IllegalArgumentException("setting 'pipeline' is empty; write a gst-launch pipeline ending in "
                    + "the element that makes JPEG or H.264, e.g. videotestsrc ! jpegenc");
        }
        GstRuntime.init();
        List<GError> errors = new ArrayList<>();
        Bin bin;
        try {
            bin = Gst.parseBinFromDescription(pipeline, true, errors);
        } catch (GstException e) {
            throw new IllegalArgumentException("setting 'pipeline' does not parse: " + e.getMessage(), e);
        }
        if (!errors.isEmpty() || bin == null) {
            if (bin != null) {
                bin.dispose();
            }
            throw new IllegalArgumentException("setting 'pipeline' does not parse: " + messages(errors));
        }
        return bin;
    }

    /** The messages of GStreamer's parse errors, joined for a person to read. */
    static String messages(List<GError> errors) {
        if (errors.isEmpty()) {
            return "GStreamer gave no reason";
        }
        StringBuilder text = new StringBuilder();
        for (GError error : errors) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(error.getMessage());
        }
        return text.toString();
    }
}
