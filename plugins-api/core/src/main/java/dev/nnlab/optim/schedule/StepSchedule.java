package dev.nnlab.optim.schedule;

/**
 * Step decay: {@code lr = initialLr * gamma^floor(epoch / stepEpochs)}, i.e. the rate is multiplied by
 * {@code gamma} at epochs {@code stepEpochs, 2 * stepEpochs, ...} (PyTorch's StepLR).
 *
 * <p>Stability: stable for plugin authors.
 */
public record StepSchedule(float initialLr, double gamma, int stepEpochs) implements LearningRateSchedule {

    public StepSchedule {
        Checks.positive("lr", initialLr);
        Checks.inUnitInterval("gamma", gamma);
        if (stepEpochs < 1) throw new IllegalArgumentException("stepEpochs = " + stepEpochs + " must be >= 1");
    }

    @Override
    public float lr(double epoch) {
        // epoch = steps / stepsPerEpoch is exact at whole epochs, so the drop lands on the boundary step.
        double drops = Math.floor(Math.max(epoch, 0) / stepEpochs);
        return (float) (initialLr * Math.pow(gamma, drops));
    }
}
