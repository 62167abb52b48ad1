package org.tributary.core.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

import org.osgi.service.metatype.AttributeDefinition;

/**
 * Turns a metatype's refusal of a number ("Value is less than minimum") into what a person can act on: "must be at
 * least 1, got 0". The metatype API tells no minimum or maximum, only whether a value passes, so the bound is found
 * by asking {@link AttributeDefinition#validate} about other values: exactly for whole numbers, to the shortest
 * decimal that passes for the others.
 *
 * <p>Stateless.
 */
final class Bounds {

    private static final int STEPS = 200;

    private Bounds() {
    }

    /**
     * What follows the setting's name in a message about {@code value}, which the metatype refused with
     * {@code problem}: {@code must be at least MIN, got VALUE}, {@code must be at most MAX, got VALUE}, or
     * {@code : PROBLEM} when the problem is not a bound of a number.
     */
    static String explain(AttributeDefinition ad, Object value, String problem) {
        String lower = problem.toLowerCase(Locale.ROOT);
        boolean below = lower.contains("less than") || lower.contains("minimum");
        boolean above = lower.contains("greater than") || lower.contains("maximum");
        if (below != above && value instanceof Number n) {
            String bound = whole(ad.getType()) ? wholeBound(ad, n.longValue(), below)
                    : decimalBound(ad, n.doubleValue(), below);
            if (bound != null) {
                return "must be " + (below ? "at least " : "at most ") + bound + ", got " + text(n);
            }
        }
        return ": " + problem;
    }

    private static boolean whole(int type) {
        return type == AttributeDefinition.LONG || type == AttributeDefinition.INTEGER
                || type == AttributeDefinition.SHORT || type == AttributeDefinition.BYTE;
    }

    // The value closest to 'refused' in the direction of the bound that the metatype does not refuse for that bound.
    private static String wholeBound(AttributeDefinition ad, long refused, boolean below) {
        long step = 1;
        long bad = refused;
        long good;
        while (true) {
            long next = below ? refused + step : refused - step;
            if (below ? next < refused : next > refused) {
                return null;
            }
            if (!refuses(ad, Long.toString(next), below)) {
                good = next;
                break;
            }
            bad = next;
            if (step > Long.MAX_VALUE / 2) {
                return null;
            }
            step *= 2;
        }
        while (Math.abs(good - bad) > 1) {
            long mid = bad + (good - bad) / 2;
            if (refuses(ad, Long.toString(mid), below)) {
                bad = mid;
            } else {
                good = mid;
            }
        }
        return Long.toString(good);
    }

    private static String decimalBound(AttributeDefinition ad, double refused, boolean below) {
        double step = Math.max(1, Math.abs(refused));
        double bad = refused;
        double good = Double.NaN;
        for (int i = 0; i < 64; i++) {
            double next = below ? refused + step : refused - step;
            if (!refuses(ad, Double.toString(next), below)) {
                good = next;
                break;
            }
            bad = next;
            step *= 2;
        }
        if (Double.isNaN(good)) {
            return null;
        }
        for (int i = 0; i < STEPS && good != bad; i++) {
            double mid = bad + (good - bad) / 2;
            if (mid == bad || mid == good) {
                break;
            }
            if (refuses(ad, Double.toString(mid), below)) {
                bad = mid;
            } else {
                good = mid;
            }
        }
        // The shortest decimal near the boundary that passes.
        for (int scale = 0; scale <= 12; scale++) {
            BigDecimal rounded = new BigDecimal(good).setScale(scale, RoundingMode.HALF_UP);
            if (Math.abs(rounded.doubleValue() - good) <= 1e-9 * Math.max(1, Math.abs(good))
                    && !refuses(ad, rounded.toPlainString(), below)) {
                return rounded.stripTrailingZeros().toPlainString();
            }
        }
        return Double.toString(good);
    }

    private static boolean refuses(AttributeDefinition ad, String value, boolean below) {
        String problem = ad.validate(value);
        if (problem == null || problem.isEmpty()) {
            return false;
        }
        String lower = problem.toLowerCase(Locale.ROOT);
        return below ? lower.contains("less than") || lower.contains("minimum")
                : lower.contains("greater than") || lower.contains("maximum");
    }

    private static String text(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                return Long.toString((long) d);
            }
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }
}
