package dev.nnlab.training;

import dev.nnlab.optim.MetricMode;

import dev.nnlab.nn.Parameters;

/**
 * Applies an {@link dev.nnlab.spi.EarlyStopping} rule: tracks the best epoch of a metric, says when
 * it has not improved for {@code patience} epochs in a row, and keeps a copy of the parameters of
 * the best epoch so they can be restored.
 *
 * <p>An epoch improves when its metric beats the best so far by more than {@code minDelta} (an
 * absolute amount, as in Keras). The copy covers all of {@link Parameters#values}, non-trainable
 * buffers included (batch-norm running statistics belong to the best model too). It is allocated
 * once, on the first improvement, and overwritten in place afterwards.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class BestEpochTracker {
    private final MetricMode mode;
    private final int patience;
    private final double minDelta;
    private double best;
    private int bestEpoch = -1;
    private int epochsWithoutImprovement;
    private float[] bestValues;

    /** The tracker of {@code rule}: minimising losses and perplexities, maximising accuracies. */
    public static BestEpochTracker of(dev.nnlab.spi.EarlyStopping rule) {
        return new BestEpochTracker(rule.minimize() ? MetricMode.MIN : MetricMode.MAX, rule.patience(), rule.minDelta());
    }

    public BestEpochTracker(MetricMode mode, int patience, double minDelta) {
        if (mode == null) throw new IllegalArgumentException("mode must be min or max");
        if (patience < 1) throw new IllegalArgumentException("patience = " + patience + " must be >= 1");
        if (!(minDelta >= 0)) throw new IllegalArgumentException("minDelta = " + minDelta + " must be >= 0");
        this.mode = mode;
        this.patience = patience;
        this.minDelta = minDelta;
        this.best = mode.worst();
    }

    /**
     * Records the metric of {@code epoch}. On an improvement, copies {@code params.values} (when
     * {@code params} is not null) and returns true.
     */
    public boolean update(int epoch, double metric, Parameters params) {
        if (!mode.improves(metric, best, minDelta)) {
            epochsWithoutImprovement++;
            return false;
        }
        best = metric;
        bestEpoch = epoch;
        epochsWithoutImprovement = 0;
        if (params != null) {
            if (bestValues == null || bestValues.length != params.values.length) bestValues = new float[params.values.length];
            System.arraycopy(params.values, 0, bestValues, 0, bestValues.length);
        }
        return true;
    }

    /** True once {@code patience} epochs in a row have not improved. */
    public boolean shouldStop() { return epochsWithoutImprovement >= patience; }

    /** The epoch with the best metric, or -1 before any improvement. */
    public int bestEpoch() { return bestEpoch; }

    /** The best metric so far ({@code +-infinity} before the first update). */
    public double bestMetric() { return best; }

    public int epochsWithoutImprovement() { return epochsWithoutImprovement; }

    /** True when a copy of the best parameters is held. */
    public boolean hasBestValues() { return bestValues != null; }

    /** A fresh copy of the best epoch's parameter values. */
    public float[] bestValues() {
        if (bestValues == null) throw new IllegalStateException("no improving epoch with parameters recorded yet");
        return bestValues.clone();
    }

    /** Writes the best epoch's values back into {@code params}. */
    public void restoreBest(Parameters params) {
        if (bestValues == null) throw new IllegalStateException("no improving epoch with parameters recorded yet");
        if (bestValues.length != params.values.length) {
            throw new IllegalArgumentException("best values hold " + bestValues.length + " floats, the model has " + params.values.length);
        }
        System.arraycopy(bestValues, 0, params.values, 0, bestValues.length);
    }
}
