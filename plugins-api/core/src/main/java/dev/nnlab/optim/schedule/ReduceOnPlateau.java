package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;
import dev.nnlab.optim.MetricMode;

/**
 * Multiplies the rate by {@code factor} once the validation metric has failed to improve for
 * {@code patience} consecutive validations, never going below {@code minLr}.
 *
 * <p>An improvement must beat the best value so far by more than {@code threshold * |best|} (a
 * relative threshold, PyTorch's {@code threshold_mode='rel'}, written with {@code |best|} so that it
 * also works for negative metrics). Counting follows Keras: the reduction happens on the
 * {@code patience}-th bad validation in a row (PyTorch waits for one more), and the count restarts
 * after each reduction. The first metric always becomes the best; NaN counts as no improvement.
 *
 * <p>The rate does not depend on the epoch position, only on the metrics seen so far.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class ReduceOnPlateau implements LearningRateSchedule {
    public static final double DEFAULT_FACTOR = 0.5;
    public static final int DEFAULT_PATIENCE = 10;
    public static final double DEFAULT_THRESHOLD = 1e-4;
    private static final String OWNER = "schedule 'plateau'";
    /** The multiplier at each reduction: it must reduce, and 0 would stop training. */
    public static final Range FACTOR = Range.open(0, 1);
    public static final Range PATIENCE = Range.atLeast(1);
    public static final Range THRESHOLD = Range.closedOpen(0, 1);

    /** The floor may equal the start (then the rate never moves). */
    public static Range minLrRange(double lr) { return Range.closed(0, lr); }

    private final MetricMode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final float minLr;
    private float lr;
    private double best;
    private int badValidations;
    private int reductions;

    public ReduceOnPlateau(float initialLr, MetricMode mode, double factor, int patience, double threshold, float minLr) {
        BASE_LR.require(OWNER, "lr", initialLr);
        if (mode == null) throw new IllegalArgumentException(OWNER + ": mode must be min or max");
        FACTOR.require(OWNER, "factor", factor);
        PATIENCE.require(OWNER, "patience", patience);
        THRESHOLD.require(OWNER, "threshold", threshold);
        minLrRange(initialLr).require(OWNER, "minLr", minLr);
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.minLr = minLr;
        this.lr = initialLr;
        this.best = mode.worst();
    }

    /** Halves the rate after {@value #DEFAULT_PATIENCE} validations without a relative improvement of 1e-4. */
    public ReduceOnPlateau(float initialLr, MetricMode mode) {
        this(initialLr, mode, DEFAULT_FACTOR, DEFAULT_PATIENCE, DEFAULT_THRESHOLD, 0f);
    }

    @Override
    public float lr(double epoch) {
        return lr;
    }

    @Override
    public void onValidation(double metric) {
        double margin = Double.isInfinite(best) ? 0 : threshold * Math.abs(best);
        if (mode.improves(metric, best, margin)) {
            best = metric;
            badValidations = 0;
            return;
        }
        if (++badValidations >= patience) {
            float reduced = Math.max((float) (lr * factor), minLr);
            if (reduced < lr) reductions++;
            lr = reduced;
            badValidations = 0;
        }
    }

    /** The best metric seen so far ({@code +-infinity} before the first validation). */
    public double best() { return best; }

    /** Consecutive validations without improvement since the last improvement or reduction. */
    public int badValidations() { return badValidations; }

    /** How many times the rate has been lowered. */
    public int reductions() { return reductions; }

    @Override
    public String toString() {
        return "ReduceOnPlateau[lr=" + lr + ", mode=" + mode + ", factor=" + factor + ", patience=" + patience
                + ", threshold=" + threshold + ", minLr=" + minLr + "]";
    }
}
