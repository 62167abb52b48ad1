package org.tributary.rtsp.client.internal;

/**
 * Counts something per 100 ms and sums the last ten completed slots: an exact one-second window that lags
 * by at most 100 ms, in constant memory and without allocation.
 *
 * <p>Not thread-safe; guarded by its owner.
 */
final class RateWindow {

    private static final long SLOT_NANOS = 100_000_000L;
    private static final int SLOTS = 11;

    private final long[] slotIndex = new long[SLOTS];
    private final long[] counts = new long[SLOTS];

    RateWindow() {
        java.util.Arrays.fill(slotIndex, Long.MIN_VALUE);
    }

    void add(long nanoTime, long amount) {
        long slot = Math.floorDiv(nanoTime, SLOT_NANOS);
        int i = (int) Math.floorMod(slot, (long) SLOTS);
        if (slotIndex[i] != slot) {
            slotIndex[i] = slot;
            counts[i] = 0;
        }
        counts[i] += amount;
    }

    /** The sum over the second that ended at the start of the current slot. */
    long lastSecond(long nanoTime) {
        long current = Math.floorDiv(nanoTime, SLOT_NANOS);
        long sum = 0;
        for (int i = 0; i < SLOTS; i++) {
            long age = current - slotIndex[i];
            if (age >= 1 && age <= SLOTS - 1) {
                sum += counts[i];
            }
        }
        return sum;
    }
}
