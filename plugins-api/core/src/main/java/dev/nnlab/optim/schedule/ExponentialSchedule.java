package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * Exponential decay {@code lr = initialLr * gamma^epoch}, continuous in the fractional epoch, so the
 * rate shrinks a little every step and by exactly {@code gamma} over each whole epoch.
 *
 * <p>Stability: stable for plugin authors.
 */
public record ExponentialSchedule(float initialLr, double gamma) implements LearningRateSchedule {
    /** The factor per epoch: 1 keeps the rate constant, above 1 would grow it, 0 would stop training. */
    public static final Range GAMMA = Range.openClosed(0, 1);

    public ExponentialSchedule {
        BASE_LR.require("schedule 'exponential'", "lr", initialLr);
        GAMMA.require("schedule 'exponential'", "gamma", gamma);
    }

    @Override
    public float lr(double epoch) {
        return (float) (initialLr * Math.pow(gamma, Math.max(epoch, 0)));
    }
}
