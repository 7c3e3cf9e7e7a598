package dev.nnlab.optim.schedule;

/**
 * Exponential decay {@code lr = initialLr * gamma^epoch}, continuous in the fractional epoch, so the
 * rate shrinks a little every step and by exactly {@code gamma} over each whole epoch.
 *
 * <p>Stability: stable for plugin authors.
 */
public record ExponentialSchedule(float initialLr, double gamma) implements LearningRateSchedule {

    public ExponentialSchedule {
        Checks.positive("lr", initialLr);
        Checks.inUnitInterval("gamma", gamma);
    }

    @Override
    public float lr(double epoch) {
        return (float) (initialLr * Math.pow(gamma, Math.max(epoch, 0)));
    }
}
