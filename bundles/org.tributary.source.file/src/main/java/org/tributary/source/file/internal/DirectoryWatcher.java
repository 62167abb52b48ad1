package org.tributary.source.file.internal;

import java.io.Closeable;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link DirectoryMounts#scan()} on one named daemon thread, at once and then a fixed time after
 * each scan ends. Polling rather than a {@code WatchService}: it sees changes on network and bind-mounted
 * file systems too, and a scan of an unchanged directory costs one listing.
 *
 * <p>{@link #close()} stops the thread, waits for it, and unmounts everything.
 */
final class DirectoryWatcher implements Closeable {

    private static final System.Logger LOG = System.getLogger(DirectoryWatcher.class.getName());

    private final DirectoryMounts mounts;
    private final ScheduledExecutorService executor;
    private volatile Thread thread;

    /**
     * Starts watching.
     *
     * @param threadName the thread's name, {@code tributary-...}
     * @param first run once on the thread before the first scan (e.g. preparing the directory), or null
     */
    DirectoryWatcher(String threadName, DirectoryMounts mounts, Duration period, Runnable first) {
        this.mounts = mounts;
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = ex;
        if (first != null) {
            executor.execute(() -> guarded(first));
        }
        executor.scheduleWithFixedDelay(() -> guarded(mounts::scan), 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A periodic task that throws is never run again; keep watching whatever one scan ran into. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "media directory task failed; watching goes on", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "media directory thread did not stop within 10 s");
            }
            // Termination is reported while the worker is still leaving; wait until it is gone.
            Thread t = thread;
            if (t != null) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        mounts.close();
    }
}
