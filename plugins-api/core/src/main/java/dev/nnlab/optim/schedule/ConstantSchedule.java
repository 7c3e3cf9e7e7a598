package dev.nnlab.optim.schedule;

/**
 * The same learning rate throughout.
 *
 * <p>Stability: stable for plugin authors.
 */
public record ConstantSchedule(float initialLr) implements LearningRateSchedule {

    public ConstantSchedule {
        Checks.positive("lr", initialLr);
    }

    @Override
    public float lr(double epoch) {
        return initialLr;
    }
}
