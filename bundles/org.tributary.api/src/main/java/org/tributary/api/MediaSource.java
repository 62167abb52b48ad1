package org.tributary.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A service that produces the frames of one named stream. Source bundles register it; the stream core
 * ({@link Streams}) is its only caller.
 *
 * <p>Register an {@link OnDemandSource} (files: every viewer gets its own playhead) or a {@link LiveSource}
 * (cameras, pipelines: one feed shared by all viewers), with the service property {@value #STREAM_NAME}
 * set to the stream's name, which is its RTSP path, and {@value #SOURCE_TYPE} naming the kind of source.
 * Unregistering the service ends the stream: its viewers' sessions end and the name leaves the mount table.
 *
 * <p>Implementations are thread-safe; {@link #info()} is cheap and never blocks.
 */
@ConsumerType
public interface MediaSource {

    /** Service property: the stream's name, its RTSP path without leading slash (e.g. {@code demo}). */
    String STREAM_NAME = "stream.name";

    /** Service property: the kind of source (e.g. {@code file}, {@code gstreamer}, {@code webcam}). */
    String SOURCE_TYPE = "source.type";

    /** What the source offers. Never blocks. */
    MediaInfo info();
}
