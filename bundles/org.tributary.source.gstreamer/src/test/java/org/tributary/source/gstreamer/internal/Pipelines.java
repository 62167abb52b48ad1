package org.tributary.source.gstreamer.internal;

import java.util.Set;
import java.util.stream.Collectors;

import org.tributary.api.Codec;

/** Settings and checks shared by the tests that run real GStreamer pipelines. */
final class Pipelines {

    static final String JPEG_60 = "videotestsrc is-live=true num-buffers=60 "
            + "! video/x-raw,format=I420,width=320,height=240,framerate=30/1 ! jpegenc";
    static final String H264 = "videotestsrc is-live=true ! video/x-raw,format=I420,width=320,height=240,framerate=30/1 "
            + "! x264enc tune=zerolatency key-int-max=30 speed-preset=ultrafast";

    private Pipelines() {
    }

    static SourceSettings settings(String pipeline, Codec codec, SourceSettings.EosAction eos, int restartDelaySeconds) {
        return new SourceSettings("test", pipeline, codec, 25, restartDelaySeconds, 6, eos, false);
    }

    /** Names of live threads this bundle started. */
    static Set<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("tributary-gst")).collect(Collectors.toSet());
    }
}
