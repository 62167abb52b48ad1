package org.tributary.rest.internal;

import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.tributary.api.Features;
import org.tributary.api.Sessions;
import org.tributary.api.Streams;
import org.tributary.api.Transport;

/**
 * The services the resources work through, as they are now. Each may come and go while the API runs; a
 * request that needs one that is away gets 503 saying which bundle provides it.
 */
interface Backends {

    String STREAMS_ABSENT = "the stream core is not running (bundle org.tributary.core); start it, then try again";
    String SESSIONS_ABSENT = "the RTSP server is not running (bundle org.tributary.rtsp.server); start it, then try again";
    String FEATURES_ABSENT = "the feature installer is not running (bundle org.tributary.features); start it, then try again";

    /** The Streams service, or {@code null}. */
    Streams streamsOrNull();

    /** The Sessions service, or {@code null}. */
    Sessions sessionsOrNull();

    /** The Features service, or {@code null}. */
    Features featuresOrNull();

    /** The transports registered now. */
    List<ServiceReference<Transport>> transports();

    /** The RTSP port URLs are built with. */
    int rtspPort();

    BundleContext context();

    RestConfig config();

    default Streams streams() throws Problem {
        Streams s = streamsOrNull();
        if (s == null) {
            throw new Problem(503, STREAMS_ABSENT);
        }
        return s;
    }

    default Sessions sessions() throws Problem {
        Sessions s = sessionsOrNull();
        if (s == null) {
            throw new Problem(503, SESSIONS_ABSENT);
        }
        return s;
    }

    default Features features() throws Problem {
        Features f = featuresOrNull();
        if (f == null) {
            throw new Problem(503, FEATURES_ABSENT);
        }
        return f;
    }

    /** The RTSP URL of a stream for a client that reached this server as {@code host}. */
    default String rtspUrl(String host, String stream) {
        return RtspUrls.url(host, rtspPort(), stream);
    }
}
