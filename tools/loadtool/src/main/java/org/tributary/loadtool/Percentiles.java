package org.tributary.loadtool;

import java.util.Arrays;

/**
 * Nearest-rank percentiles (the smallest value with at least p % of the values at or below it) of a set
 * of samples. Immutable after construction.
 */
public final class Percentiles {

    private final long[] sorted;

    /** @param samples the values; copied, not modified */
    public Percentiles(long[] samples) {
        sorted = samples.clone();
        Arrays.sort(sorted);
    }

    /** How many samples there are. */
    public int count() {
        return sorted.length;
    }

    /**
     * The p-th percentile.
     *
     * @param p in (0, 100]; 50 is the median, 100 the maximum
     * @throws IllegalStateException when there are no samples
     */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        if (sorted.length == 0) {
            throw new IllegalStateException("no samples");
        }
        // The epsilon keeps 99 % of 100 samples at rank 99 despite binary fractions.
        int rank = (int) Math.ceil(p * sorted.length / 100.0 - 1e-9);
        return sorted[Math.max(1, rank) - 1];
    }

    /** The largest sample. */
    public long max() {
        return percentile(100);
    }
}
