package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * Cosine annealing without restarts (Loshchilov and Hutter, SGDR, 2017, eq. 5 with a single cycle):
 * {@code lr = minLr + (initialLr - minLr) * (1 + cos(pi * t / totalEpochs)) / 2} for {@code t <= totalEpochs},
 * then {@code minLr}.
 *
 * <p>Stability: stable for plugin authors.
 */
public record CosineSchedule(float initialLr, float minLr, double totalEpochs) implements LearningRateSchedule {
    private static final String OWNER = "schedule 'cosine'";
    /** The length of the cosine, in epochs. */
    public static final Range TOTAL_EPOCHS = Range.above(0);

    /** The floor must lie below the start, or there is nothing to anneal. */
    public static Range minLrRange(double lr) { return Range.closedOpen(0, lr); }

    public CosineSchedule {
        BASE_LR.require(OWNER, "lr", initialLr);
        minLrRange(initialLr).require(OWNER, "minLr", minLr);
        TOTAL_EPOCHS.require(OWNER, "totalEpochs", totalEpochs);
    }

    @Override
    public float lr(double epoch) {
        double t = Math.min(Math.max(epoch, 0), totalEpochs);
        return (float) (minLr + (initialLr - (double) minLr) * 0.5 * (1 + Math.cos(Math.PI * t / totalEpochs)));
    }
}
