package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * The same learning rate throughout.
 *
 * <p>Stability: stable for plugin authors.
 */
public record ConstantSchedule(float initialLr) implements LearningRateSchedule {

    public ConstantSchedule {
        BASE_LR.require("schedule 'constant'", "lr", initialLr);
    }

    @Override
    public float lr(double epoch) {
        return initialLr;
    }
}
