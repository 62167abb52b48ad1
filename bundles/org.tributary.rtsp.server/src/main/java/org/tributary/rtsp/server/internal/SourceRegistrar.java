package org.tributary.rtsp.server.internal;

import org.tributary.api.LiveSource;

/**
 * Makes a published stream a {@link LiveSource} the stream core mounts: in the framework, a service of the server's
 * bundle with {@code stream.name} = the path and {@code source.type} = {@value #SOURCE_TYPE}.
 */
@FunctionalInterface
interface SourceRegistrar {

    /** The {@code source.type} of a published stream. */
    String SOURCE_TYPE = "publish";

    /** Refuses every registration: a server without a framework, whose publishers are told so. */
    SourceRegistrar NONE = (name, source) -> {
        throw new IllegalStateException("this server cannot mount published streams");
    };

    /**
     * Registers {@code source} as the stream {@code name}.
     *
     * @return what takes it away again; harmless to run twice
     * @throws IllegalStateException if it cannot be registered
     */
    Runnable register(String name, LiveSource source);
}
