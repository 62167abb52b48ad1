package org.tributary.source.gstreamer.internal;

import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Version;

/**
 * The one place that initialises GStreamer for this bundle.
 *
 * <p>{@link Gst#init} runs at most once per {@code Gst} class and is never undone: {@code Gst.deinit()}
 * followed by another init leaves GStreamer without elements, and a second deinit crashes the JVM. The guard
 * is {@link Gst#isInitialized()} rather than a flag of ours, because a refreshed wrapper bundle brings a fresh
 * {@code Gst} class that must be initialised again.
 */
final class GstRuntime {

    private GstRuntime() {
    }

    /**
     * Initialises GStreamer if nobody has yet; safe to call from any thread, any number of times.
     *
     * @throws IllegalStateException if the system has no GStreamer 1.x libraries
     */
    static void init() {
        synchronized (Gst.class) {
            if (!Gst.isInitialized()) {
                try {
                    Gst.init(Version.of(1, 16), "tributary");
                } catch (UnsatisfiedLinkError e) {
                    throw new IllegalStateException("GStreamer 1.x is not installed (" + e.getMessage() + "); install "
                            + "gstreamer1.0-tools and gstreamer1.0-plugins-{base,good,bad,ugly}", e);
                }
            }
        }
    }

    /** Whether an element named {@code factory} is installed (e.g. {@code clockoverlay} needs the pango plugin). */
    static boolean hasElement(String factory) {
        init();
        try {
            return ElementFactory.find(factory) != null;
        } catch (IllegalArgumentException e) {
            // gst1-java-core reports a missing factory by throwing, not by null.
            return false;
        }
    }
}
