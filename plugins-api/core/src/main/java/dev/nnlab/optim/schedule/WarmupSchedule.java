package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * Linear warm-up in front of any schedule. For {@code t < warmupEpochs} the rate ramps linearly from
 * {@code startFactor * base.lr(0)} to {@code base.lr(0)}; from then on it is {@code base.lr(t - warmupEpochs)}.
 *
 * <p>The base schedule's clock starts when warm-up ends (as PyTorch's {@code SequentialLR} does), so
 * the rate is continuous at the hand-over and a cosine of {@code totalEpochs} still runs its full
 * length after warm-up: the run lasts {@code warmupEpochs + totalEpochs} epochs.
 *
 * <p>Warm-up (Goyal et al., 2017) keeps the first large-gradient steps from wrecking a freshly
 * initialised network or Adam's not-yet-calibrated second moments. The default start factor is 0.01
 * rather than 0 so that the very first step already moves the weights.
 *
 * <p>Validation metrics are forwarded to the base schedule, including during warm-up.
 *
 * <p>Stability: stable for plugin authors.
 */
public record WarmupSchedule(LearningRateSchedule base, double warmupEpochs, double startFactor)
        implements LearningRateSchedule {

    public static final double DEFAULT_START_FACTOR = 0.01;
    /** The length of a warm-up; a configuration writes 0 for none ({@link #EPOCHS_OR_NONE}). */
    public static final Range EPOCHS = Range.above(0);
    public static final Range EPOCHS_OR_NONE = Range.atLeast(0);
    /** Where the ramp starts, as a share of the base rate; 1 would be no warm-up at all. */
    public static final Range START_FACTOR = Range.closedOpen(0, 1);

    public WarmupSchedule {
        if (base == null) throw new IllegalArgumentException("warm-up needs a base schedule");
        EPOCHS.require("warm-up", "warmupEpochs", warmupEpochs);
        START_FACTOR.require("warm-up", "startFactor", startFactor);
    }

    public WarmupSchedule(LearningRateSchedule base, double warmupEpochs) {
        this(base, warmupEpochs, DEFAULT_START_FACTOR);
    }

    @Override
    public float lr(double epoch) {
        if (epoch >= warmupEpochs) return base.lr(epoch - warmupEpochs);
        double t = Math.max(epoch, 0) / warmupEpochs;
        return (float) (base.lr(0) * (startFactor + (1 - startFactor) * t));
    }

    @Override
    public void onValidation(double metric) {
        base.onValidation(metric);
    }
}
