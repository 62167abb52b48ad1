package org.tributary.viewer.internal;

import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * Initialises GStreamer for the viewer at most once per {@code Gst} class and never undoes it: a
 * {@code Gst.deinit()} followed by another init leaves GStreamer without elements, and a second deinit crashes
 * the JVM. The guard is {@link Gst#isInitialized()}, shared with every other bundle using the same wrapper.
 */
final class GstInit {

    private GstInit() {
    }

    /** @throws IllegalStateException if the system has no GStreamer 1.x libraries */
    static void init() {
        synchronized (Gst.class) {
            if (!Gst.isInitialized()) {
                try {
                    Gst.init(Version.of(1, 16), "tributary-viewer");
                } catch (UnsatisfiedLinkError e) {
                    throw new IllegalStateException("GStreamer 1.x is not installed (" + e.getMessage() + "); install "
                            + "gstreamer1.0-plugins-base, -good and gstreamer1.0-libav", e);
                }
            }
        }
    }
}
