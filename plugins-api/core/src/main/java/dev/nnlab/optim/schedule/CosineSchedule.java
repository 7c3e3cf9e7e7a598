package dev.nnlab.optim.schedule;

/**
 * Cosine annealing without restarts (Loshchilov and Hutter, SGDR, 2017, eq. 5 with a single cycle):
 * {@code lr = minLr + (initialLr - minLr) * (1 + cos(pi * t / totalEpochs)) / 2} for {@code t <= totalEpochs},
 * then {@code minLr}.
 *
 * <p>Stability: stable for plugin authors.
 */
public record CosineSchedule(float initialLr, float minLr, double totalEpochs) implements LearningRateSchedule {

    public CosineSchedule {
        Checks.positive("lr", initialLr);
        if (!(minLr >= 0 && minLr < initialLr)) {
            throw new IllegalArgumentException("minLr = " + minLr + " must be in [0, lr = " + initialLr + ")");
        }
        Checks.positive("totalEpochs", totalEpochs);
    }

    @Override
    public float lr(double epoch) {
        double t = Math.min(Math.max(epoch, 0), totalEpochs);
        return (float) (minLr + (initialLr - (double) minLr) * 0.5 * (1 + Math.cos(Math.PI * t / totalEpochs)));
    }
}
