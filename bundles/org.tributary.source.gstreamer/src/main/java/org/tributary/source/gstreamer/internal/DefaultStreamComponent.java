package org.tributary.source.gstreamer.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.tributary.api.Codec;

/**
 * The {@code /stream} served with no configuration (DESIGN.md, "Defaults"): what a camera behind
 * gst-rtsp-server gives, a live picture encoded by {@code x264enc tune=zerolatency}. It shows a moving test
 * pattern, or the camera named by the framework property {@value #DEVICE_PROPERTY}; {@value #ENABLED_PROPERTY}
 * {@code =false} turns it off.
 *
 * <p>The encoder runs only while the stream core has started the feed, that is while someone watches; the one
 * exception is the activation probe, which encodes up to the first keyframe so SDP carries the SPS and PPS.
 * The service ranks below any configured source, so a configured stream named {@value #STREAM_NAME} wins.
 */
@Component(name = "org.tributary.source.gstreamer.default", configurationPolicy = ConfigurationPolicy.IGNORE,
        service = {})
public class DefaultStreamComponent {

    /** Framework property: {@code false} turns the default stream off. */
    public static final String ENABLED_PROPERTY = "tributary.stream";

    /** Framework property: a V4L2 device (e.g. {@code /dev/video0}) to serve instead of the test pattern. */
    public static final String DEVICE_PROPERTY = "tributary.stream.device";

    /** The default stream's name. */
    public static final String STREAM_NAME = "stream";

    private static final System.Logger LOG = System.getLogger(DefaultStreamComponent.class.getName());
    private static final String ENCODER = "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=30 bitrate=1000";
    private static final String RAW = "video/x-raw,format=I420,width=640,height=480,framerate=30/1";

    private final Thread starter;
    private volatile boolean closed;
    private PipelineSource source;
    private SourceRegistration registration;

    /**
     * Mounts {@code /stream} unless it is turned off. Loading GStreamer takes a few hundred milliseconds, so it
     * happens on a thread of its own and the framework's start is not held up by it.
     */
    @Activate
    public DefaultStreamComponent(BundleContext context) {
        String enabled = context.getProperty(ENABLED_PROPERTY);
        if (enabled != null && "false".equalsIgnoreCase(enabled.strip())) {
            starter = null;
            return;
        }
        String device = context.getProperty(DEVICE_PROPERTY);
        starter = new Thread(() -> mount(context, device), "tributary-gst-default");
        starter.setDaemon(true);
        starter.start();
    }

    private void mount(BundleContext context, String device) {
        boolean clock;
        try {
            clock = GstRuntime.hasElement("clockoverlay");
        } catch (IllegalStateException e) {
            LOG.log(System.Logger.Level.WARNING, "/" + STREAM_NAME + " is not served: " + e.getMessage());
            return;
        }
        PipelineSource s = new PipelineSource(new SourceSettings(STREAM_NAME, pipeline(device, clock), Codec.H264,
                30, 1, 6, SourceSettings.EosAction.AUTO, true));
        synchronized (this) {
            if (closed) {
                s.close();
                return;
            }
            source = s;
            registration = new SourceRegistration(context, s, -1, true);
        }
        s.probe();
    }

    /** Unmounts {@code /stream} and stops its pipeline, if it runs. */
    @Deactivate
    public void deactivate() {
        if (starter == null) {
            return;
        }
        synchronized (this) {
            closed = true;
        }
        try {
            starter.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (registration != null) {
                registration.unregister();
                source.close();
            }
        }
    }

    /**
     * The default pipeline: the test pattern, or {@code device} decoded and scaled to the same picture; a clock
     * drawn on it when {@code clock} (the pango plugin's {@code clockoverlay} is installed).
     */
    static String pipeline(String device, boolean clock) {
        String input = device == null || device.isBlank() ? "videotestsrc is-live=true pattern=ball"
                // decodebin takes raw and MJPEG cameras alike; videorate and videoscale fit any camera to the caps.
                : "v4l2src device=" + device.strip() + " ! decodebin ! videoconvert ! videoscale ! videorate";
        return input + " ! " + RAW + (clock ? " ! clockoverlay" : "") + " ! " + ENCODER;
    }
}
