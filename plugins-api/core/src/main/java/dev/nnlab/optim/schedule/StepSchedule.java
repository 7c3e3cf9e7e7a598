package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * Step decay: {@code lr = initialLr * gamma^floor(epoch / stepEpochs)}, i.e. the rate is multiplied by
 * {@code gamma} at epochs {@code stepEpochs, 2 * stepEpochs, ...} (PyTorch's StepLR).
 *
 * <p>Stability: stable for plugin authors.
 */
public record StepSchedule(float initialLr, double gamma, int stepEpochs) implements LearningRateSchedule {
    /** The factor at each drop: 1 keeps the rate, 0 would stop training. */
    public static final Range GAMMA = Range.openClosed(0, 1);
    public static final Range STEP_EPOCHS = Range.atLeast(1);

    public StepSchedule {
        BASE_LR.require("schedule 'step'", "lr", initialLr);
        GAMMA.require("schedule 'step'", "gamma", gamma);
        STEP_EPOCHS.require("schedule 'step'", "stepEpochs", stepEpochs);
    }

    @Override
    public float lr(double epoch) {
        // epoch = steps / stepsPerEpoch is exact at whole epochs, so the drop lands on the boundary step.
        double drops = Math.floor(Math.max(epoch, 0) / stepEpochs);
        return (float) (initialLr * Math.pow(gamma, drops));
    }
}
