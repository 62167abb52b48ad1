package org.tributary.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads named {@code prefix-N} that can be waited for: an executor counts as terminated a moment before
 * its last thread has left, and a stopped component promises that none of its threads is left.
 */
final class NamedThreads implements ThreadFactory {

    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> alive = ConcurrentHashMap.newKeySet();

    NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread[] self = new Thread[1];
        Thread t = new Thread(() -> {
            try {
                task.run();
            } finally {
                alive.remove(self[0]);
            }
        }, prefix + "-" + count.incrementAndGet());
        self[0] = t;
        t.setDaemon(true);
        alive.add(t);
        return t;
    }

    /**
     * Waits until every thread made here has ended, at most {@code millis}.
     *
     * @return whether none is left
     */
    boolean join(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        for (Thread t : alive) {
            if (t == Thread.currentThread()) {
                continue;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            t.join(left);
        }
        return alive.stream().noneMatch(t -> t != Thread.currentThread() && t.isAlive());
    }
}
