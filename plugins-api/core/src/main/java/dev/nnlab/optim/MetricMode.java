package dev.nnlab.optim;

import java.util.Locale;

/**
 * Whether a validation metric improves by going down (loss, error rate) or up (accuracy, F1).
 * Shared by early stopping and reduce-on-plateau so that both read a run's {@code mode} the same way.
 *
 * <p>Stability: stable for plugin authors.
 */
public enum MetricMode {
    MIN, MAX;

    /**
     * True when {@code candidate} beats {@code best} by more than {@code margin} (an absolute amount,
     * {@code >= 0}). NaN never improves, so a diverged run counts as a bad epoch instead of a new best.
     */
    public boolean improves(double candidate, double best, double margin) {
        return this == MIN ? candidate < best - margin : candidate > best + margin;
    }

    /** The starting "best": any finite first value improves on it. */
    public double worst() {
        return this == MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Reads {@code "min"} or {@code "max"} (any case); {@code field} names the config key in the error. */
    public static MetricMode parse(String field, String value) {
        if (value != null) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "min": return MIN;
                case "max": return MAX;
                default: break;
            }
        }
        throw new IllegalArgumentException(field + " = '" + value + "' is not allowed; allowed: min, max");
    }
}
