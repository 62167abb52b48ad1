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
        assertTrue(done.await(2, TimeUnit.SECONDS));
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void aTaskRunsOnThePacerThreadAtItsDeadlineAndAgainAtTheOneItReturns() throws Exception {
        List<Long> lateness = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(10);
        long start = System.nanoTime() + 20 * MS;
        AtomicInteger runs = new AtomicInteger();
        pacer.slot(now -> {
            assertEquals(pacer.thread(), Thread.currentThread());
            int k = runs.getAndIncrement();
            lateness.add(System.nanoTime() - (start + k * 20 * MS));
            done.countDown();
            return k < 9 ? start + (k + 1) * 20 * MS : Pacer.IDLE;
        }).schedule(start);
        assertTrue(done.await(2, TimeUnit.SECONDS));
        assertTrue(lateness.stream().allMatch(l -> l >= 0), "never early: " + lateness);
        assertTrue(TestSupport.median(lateness) < 5 * MS, "median lateness " + TestSupport.median(lateness));
    }

    @Test
    void aCancelledTaskDoesNotRun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Pacer.Slot slot = pacer.slot(t -> {
            runs.incrementAndGet();
            return Pacer.IDLE;
        });
        slot.schedule(System.nanoTime() + 50 * MS);
        slot.cancel();
        Thread.sleep(150);
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
        assertTrue(running.await(1, TimeUnit.SECONDS));
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
        assertTrue(running.await(1, TimeUnit.SECONDS));
        slot[0].schedule(System.nanoTime());
        release.countDown();
        assertTrue(second.await(1, TimeUnit.SECONDS));
    }

    @Test
    void closeEndsTheThread() {
        pacer.slot(t -> t + MS).schedule(System.nanoTime());
        pacer.close();
        assertFalse(pacer.thread().isAlive());
    }
}
