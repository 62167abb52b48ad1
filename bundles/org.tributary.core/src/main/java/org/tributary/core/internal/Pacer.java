package org.tributary.core.internal;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One thread that runs tasks at absolute deadlines on the {@link System#nanoTime()} clock: the pacing clock
 * shared by every playback.
 *
 * <p>A task is registered once ({@link #slot(Task)}) and gets a {@link Slot}, which is its single place in
 * the deadline queue: scheduling a slot that is already queued moves it, so a task is queued at most once.
 * When its deadline comes the pacer calls {@link Task#run(long)} on the pacer thread, without holding any
 * lock; the value returned is the task's next deadline, or {@link #IDLE} to leave the queue until someone
 * schedules it again. A {@link Slot#schedule(long)} or {@link Slot#cancel()} made while the task runs takes
 * precedence over the value the run returns (the last call wins), so a task paused from another thread during
 * its run does not put itself back.
 *
 * <p>Thread-safe. Tasks must not block or do I/O: every other task waits meanwhile. The only lock is the
 * queue's own, held for a few queue operations per run. Scheduling and running allocate nothing (the queue
 * grows its array once to the number of slots).
 */
public final class Pacer implements AutoCloseable {

    /** Returned by {@link Task#run(long)}: do not run again until scheduled. */
    public static final long IDLE = Long.MIN_VALUE;

    /** Work done at a deadline on the pacer thread. */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs the task; never blocks.
         *
         * @param nowNanos {@link System#nanoTime()} read just before the call
         * @return the next deadline in {@link System#nanoTime()} terms (in the past means as soon as possible),
         *         or {@link #IDLE}
         */
        long run(long nowNanos);
    }

    /** A task's place in the queue. */
    public final class Slot {
        private final Task task;
        private long deadline;
        private boolean queued;
        private boolean running;
        private boolean hasPending;
        private long pendingDeadline;
        private boolean cancelledWhileRunning;

        private Slot(Task task) {
            this.task = task;
        }

        /** Runs the task at {@code deadlineNanos} ({@link System#nanoTime()}), replacing any earlier schedule. */
        public void schedule(long deadlineNanos) {
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                if (running) {
                    hasPending = true;
                    pendingDeadline = deadlineNanos;
                    cancelledWhileRunning = false;
                    return;
                }
                if (queued) {
                    queue.remove(this);
                }
                enqueue(this, deadlineNanos);
            } finally {
                lock.unlock();
            }
        }

        /** Takes the task out of the queue; if it is running now, what that run returns is ignored. */
        public void cancel() {
            lock.lock();
            try {
                if (queued) {
                    queue.remove(this);
                    queued = false;
                }
                if (running) {
                    hasPending = false;
                    cancelledWhileRunning = true;
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private static final System.Logger LOG = System.getLogger(Pacer.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final PriorityQueue<Slot> queue = new PriorityQueue<>(64,
            (a, b) -> Long.compare(a.deadline - b.deadline, 0));
    private final Thread thread;
    private boolean stopped;

    /** Starts the pacer thread, a daemon named {@code threadName}. */
    public Pacer(String threadName) {
        thread = new Thread(this::loop, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Registers a task; it runs only once scheduled. */
    public Slot slot(Task task) {
        return new Slot(task);
    }

    /** The pacer thread, for diagnostics (CPU time, identity checks in tests). */
    public Thread thread() {
        return thread;
    }

    /** The number of tasks queued now. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the thread and waits for it to end; queued tasks are dropped. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            stopped = true;
            queue.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // Called with the lock held.
    private void enqueue(Slot slot, long deadlineNanos) {
        slot.deadline = deadlineNanos;
        slot.queued = true;
        queue.add(slot);
        if (queue.peek() == slot) {
            changed.signal();
        }
    }

    private void loop() {
        lock.lock();
        try {
            while (!stopped) {
                Slot head = queue.peek();
                if (head == null) {
                    changed.awaitUninterruptibly();
                    continue;
                }
                long now = System.nanoTime();
                long wait = head.deadline - now;
                if (wait > 0) {
                    changed.awaitNanos(wait);
                    continue;
                }
                queue.poll();
                head.queued = false;
                head.running = true;
                head.hasPending = false;
                head.cancelledWhileRunning = false;
                long next = IDLE;
                lock.unlock();
                try {
                    next = head.task.run(now);
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "A paced task failed; it will not run again", e);
                    next = IDLE;
                } finally {
                    lock.lock();
                }
                head.running = false;
                if (head.hasPending) {
                    next = head.pendingDeadline;
                    head.hasPending = false;
                } else if (head.cancelledWhileRunning) {
                    next = IDLE;
                }
                head.cancelledWhileRunning = false;
                if (next != IDLE && !stopped) {
                    enqueue(head, next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }
}
