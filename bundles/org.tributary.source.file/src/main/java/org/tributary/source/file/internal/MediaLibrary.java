package org.tributary.source.file.internal;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The runtime's media directory as it is with no configuration: every playable file in it mounted by its
 * file name, and (unless turned off) the demo clip written into it as {@value DemoClip#FILE_NAME} once and
 * mounted as the looping stream {@value #DEMO_STREAM}.
 *
 * <p>Everything slow (writing the clip, indexing, scanning) runs on the thread {@value #THREAD_NAME};
 * the constructor only creates the directory and starts that thread. {@link #close()} stops it and
 * unmounts everything.
 */
final class MediaLibrary implements Closeable {

    /** The name of the demo stream. */
    static final String DEMO_STREAM = "demo";

    /** The thread that prepares and watches the directory. */
    static final String THREAD_NAME = "tributary-file-media";

    /** How often the directory is compared with what is mounted. */
    static final Duration SCAN_PERIOD = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(MediaLibrary.class.getName());

    private final Path directory;
    private final Mounter mounter;
    private final DirectoryWatcher watcher;
    private volatile FileMedia demo;
    private volatile Mounter.Mount demoMount;
    private volatile long demoWriteMillis = -1;

    /**
     * Creates {@code directory} if missing and starts serving it.
     *
     * @param withDemo whether to write (if absent) and mount the demo clip
     */
    MediaLibrary(Path directory, boolean withDemo, Mounter mounter) {
        this.directory = directory;
        this.mounter = mounter;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: cannot create the media directory ({1}); files appear when it exists",
                    directory, e.toString());
        }
        DirectoryMounts mounts = new DirectoryMounts(directory, "", DemoClip.FRAME_RATE, false, mounter);
        this.watcher = new DirectoryWatcher(THREAD_NAME, mounts, SCAN_PERIOD, withDemo ? this::mountDemo : null);
    }

    /** How long writing the demo clip took, in ms; -1 if it was not written by this library. */
    long demoWriteMillis() {
        return demoWriteMillis;
    }

    private void mountDemo() {
        Path clip = directory.resolve(DemoClip.FILE_NAME);
        try {
            long start = System.nanoTime();
            if (new DemoClip().writeIfAbsent(clip)) {
                demoWriteMillis = (System.nanoTime() - start) / 1_000_000;
                LOG.log(Level.INFO, "wrote the demo clip {0} in {1} ms", clip, demoWriteMillis);
            }
        } catch (IOException e) {
            mountFailed(clip, clip + ": cannot write the demo clip: " + e.getMessage());
            return;
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            // Drawing needs Java's imaging; with java.awt.headless=false and no X server it throws AWTError.
            mountFailed(clip, "cannot draw the demo clip (" + e + ")"
                    + (e instanceof java.awt.AWTError ? "; run headless (-Djava.awt.headless=true)" : ""));
            return;
        }
        FileMedia media = new FileMedia(clip, DemoClip.FRAME_RATE, true, true);
        try {
            if (media.index().count() == 0) {
                LOG.log(Level.WARNING, "{0}: has no playable frame; the {1} stream is FAILED", clip, DEMO_STREAM);
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}; the {1} stream is FAILED", e.getMessage(), DEMO_STREAM);
        }
        demo = media;
        demoMount = mounter.mount(DEMO_STREAM, media);
    }

    /** Mounts the demo stream FAILED with the reason (it plays once a clip is there), and logs why. */
    private void mountFailed(Path clip, String why) {
        LOG.log(Level.ERROR, "{0}; the {1} stream is FAILED", why, DEMO_STREAM);
        FileMedia media = new FileMedia(clip, DemoClip.FRAME_RATE, true, true);
        media.fail(why);
        demo = media;
        demoMount = mounter.mount(DEMO_STREAM, media);
    }

    @Override
    public void close() {
        watcher.close();
        Mounter.Mount mount = demoMount;
        if (mount != null) {
            mount.unmount();
        }
        FileMedia media = demo;
        if (media != null) {
            media.close();
        }
    }
}
