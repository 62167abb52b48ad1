package org.tributary.source.file.internal;

/**
 * Makes a file source visible under a stream name; in the framework that is a service registration, in
 * tests a map.
 */
@FunctionalInterface
interface Mounter {

    /** Undoes one {@link Mounter#mount}. */
    @FunctionalInterface
    interface Mount {
        /** Takes the stream away; harmless if already gone. */
        void unmount();
    }

    /** Mounts {@code media} as the stream {@code name}. */
    Mount mount(String name, FileMedia media);
}
