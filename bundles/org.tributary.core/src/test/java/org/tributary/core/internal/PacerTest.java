package org.tributary.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = 1_000_000L;

    private final Pacer pacer = new Pacer("tributary-pacer-test");

    @AfterEach
    void close() {
        pacer.close();
    }

    @Test
    void runsTasksInDeadlineOrderNotSchedulingOrder() throws Exception {
        // The pacer thread is held while the three are scheduled, so all three are queued before any is due.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        pacer.slot(t -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Pacer.IDLE;
        }).schedule(System.nanoTime());
        assertTrue(holding.await(30, TimeUnit.SECONDS));
        List<String> order = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        long now = System.nanoTime();
        for (String name : new String[] {"c", "a", "b"}) {
            long offset = switch (name) { case "a" -> 20; case "b" -> 40; default -> 60; };
            pacer.slot(t -> {
                order.add(name);
                done.countDown();
                return Pacer.IDLE;
            }).schedule(now + offset * MS);
        }
        release.countDown();
        assertTrue(done.await(30, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void aTaskRunsOnThePacerThreadAtItsDeadlineAndAgainAtTheOneItReturns() throws Exception {
        List<Long> lateness = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(10);
        long start = System.nanoTime() + 20 * MS;
        AtomicInteger runs = new AtomicInteger();
        pacer.slot(now -> {
            threads.add(Thread.currentThread());
            int k = runs.getAndIncrement();
            lateness.add(System.nanoTime() - (start + k * 20 * MS));
            done.countDown();
            return k < 9 ? start + (k + 1) * 20 * MS : Pacer.IDLE;
        }).schedule(start);
        assertTrue(done.await(30, TimeUnit.SECONDS));
        Thread.sleep(100);
        assertEquals(10, runs.get(), "ran until it returned IDLE, then no more");
        assertTrue(threads.stream().allMatch(t -> t == pacer.thread()), "on the pacer thread: " + threads);
        // Never early; how late is measured by tools/benchmarks' PacingBenchmark, not asserted here.
        assertTrue(lateness.stream().allMatch(l -> l >= 0), "never early: " + lateness);
    }

    @Test
    void aCancelledTaskDoesNotRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Pacer.Slot slot = pacer.slot(t -> {
            runs.incrementAndGet();
            return Pacer.IDLE;
        });
        // Due in a second (cancel comes well before it even on a busy machine), watched for half a second more.
        slot.schedule(System.nanoTime() + 1_000 * MS);
        slot.cancel();
        Thread.sleep(1_500);
        assertEquals(0, runs.get());
        assertEquals(0, pacer.queued());
    }

    @Test
    void cancellingDuringARunWinsOverWhatTheRunReturns() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Pacer.Slot[] slot = new Pacer.Slot[1];
        slot[0] = pacer.slot(now -> {
            runs.incrementAndGet();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return now + MS;
        });
        slot[0].schedule(System.nanoTime());
        assertTrue(running.await(30, TimeUnit.SECONDS));
        slot[0].cancel();
        release.countDown();
        Thread.sleep(100);
        assertEquals(1, runs.get());
    }

    @Test
    void reschedulingDuringARunWinsOverIdle() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(2);
        Pacer.Slot[] slot = new Pacer.Slot[1];
        slot[0] = pacer.slot(now -> {
            second.countDown();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Pacer.IDLE;
        });
        slot[0].schedule(System.nanoTime());
        assertTrue(running.await(30, TimeUnit.SECONDS));
        slot[0].schedule(System.nanoTime());
        release.countDown();
        assertTrue(second.await(30, TimeUnit.SECONDS));
    }

    @Test
    void closeEndsTheThread() {
        pacer.slot(t -> t + MS).schedule(System.nanoTime());
        pacer.close();
        assertFalse(pacer.thread().isAlive());
    }
}
