package org.tributary.core.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A few threads that do the blocking work of on-demand playbacks (reading frames ahead, closing readers), so
 * the pacer never waits on a disk.
 *
 * <p>Its own small executor rather than a {@code ThreadPoolExecutor}: submitting reuses the task object the
 * caller keeps and the queue's array, so reading a frame ahead allocates nothing here. Tasks run in
 * submission order; a task must not resubmit itself while it runs (callers guard that with a flag).
 *
 * <p>Thread-safe. After {@link #close(long)} {@link #submit(Runnable)} returns {@code false} and the caller
 * does the work itself.
 */
public final class ReaderPool {

    private static final System.Logger LOG = System.getLogger(ReaderPool.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition available = lock.newCondition();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>(64);
    private final Thread[] threads;
    private boolean closing;

    /** Starts {@code size} daemon threads named {@code prefix-1} ... {@code prefix-size}. */
    public ReaderPool(String prefix, int size) {
        threads = new Thread[size];
        for (int i = 0; i < size; i++) {
            threads[i] = new Thread(this::loop, prefix + "-" + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /**
     * Queues a task.
     *
     * @return {@code false} if the pool is closing and the task was not queued
     */
    public boolean submit(Runnable task) {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            tasks.addLast(task);
            available.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new tasks, lets the queued ones run, and waits up to {@code timeoutMillis} for the threads to
     * end. Idempotent.
     */
    public void close(long timeoutMillis) {
        lock.lock();
        try {
            closing = true;
            available.signalAll();
        } finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread t : threads) {
            if (t == Thread.currentThread()) {
                continue;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                t.join(Math.max(1, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (t.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "{0} is still blocked in a read after {1} ms; leaving it",
                        t.getName(), timeoutMillis);
            }
        }
    }

    private void loop() {
        while (true) {
            Runnable task;
            lock.lock();
            try {
                while (tasks.isEmpty()) {
                    if (closing) {
                        return;
                    }
                    available.awaitUninterruptibly();
                }
                task = tasks.pollFirst();
            } finally {
                lock.unlock();
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "A reader task failed", e);
            }
        }
    }
}
