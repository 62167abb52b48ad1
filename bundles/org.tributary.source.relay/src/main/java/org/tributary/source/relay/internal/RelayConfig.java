package org.tributary.source.relay.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One stream of another RTSP server relayed as one live stream (factory PID {@value RelayComponent#PID}). */
@ObjectClassDefinition(id = RelayComponent.PID, name = "RTSP relay",
        description = "Another RTSP server's stream (an IP camera, another Tributary), pulled with the RTSP client "
                + "and served as a live stream")
@interface RelayConfig {

    @AttributeDefinition(name = "Stream name", description = "The RTSP path, e.g. 'cam' for rtsp://host:8554/cam")
    String name();

    @AttributeDefinition(name = "Origin URL", description = "rtsp://[user:password@]host[:port]/path of the stream "
            + "to relay (JPEG or H.264)")
    String url();

    @AttributeDefinition(name = "Transport", description = "How RTP comes from the origin: interleaved in the RTSP "
            + "connection (TCP, passes firewalls and NAT) or as UDP datagrams", options = {
                    @Option(label = "TCP", value = "TCP"), @Option(label = "UDP", value = "UDP") })
    String transport() default "TCP";

    @AttributeDefinition(name = "Pull on demand", description = "true: connect to the origin only while someone "
            + "watches; false: stay connected all the time, so a new viewer starts at once from the last keyframe")
    boolean onDemand() default true;

    @AttributeDefinition(name = "Reconnect delay", description = "Seconds before reconnecting after the origin "
            + "failed to answer, doubled after each failure up to 30", min = "1")
    int reconnectDelaySeconds() default 1;

    @AttributeDefinition(name = "Connect timeout", description = "Seconds to wait for the origin's connection; each "
            + "request may take twice as long", min = "1")
    int connectTimeoutSeconds() default 5;
}
