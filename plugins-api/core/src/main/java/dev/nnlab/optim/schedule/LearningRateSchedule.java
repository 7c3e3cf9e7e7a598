package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * The learning rate as a function of training progress, measured in (fractional) epochs:
 * {@code epoch = completed steps / steps per epoch}. Fractional epochs let warm-up and smooth
 * decays change the rate every step while the parameters (step sizes, cosine length) stay in epochs,
 * independent of batch size.
 *
 * <p>Use: before each optimizer step, {@code optimizer.setLearningRate(schedule.lr(epochOf(step, stepsPerEpoch)))};
 * after each validation, {@code schedule.onValidation(metric)}. Stateless schedules ignore the latter;
 * {@link ReduceOnPlateau} reacts to it.
 *
 * <p>Stability: stable for plugin authors; grows only by default methods.
 */
public interface LearningRateSchedule {

    /** The base rate a schedule starts from: a schedule of 0 would never train. */
    Range BASE_LR = Range.above(0);

    /** The learning rate at training position {@code epoch >= 0}. */
    float lr(double epoch);

    /** Called once per validation with the monitored metric; stateless schedules ignore it. */
    default void onValidation(double metric) {}

    /** The epoch position after {@code completedSteps} steps of {@code stepsPerEpoch} each. */
    static double epochOf(long completedSteps, int stepsPerEpoch) {
        if (stepsPerEpoch <= 0) throw new IllegalArgumentException("stepsPerEpoch = " + stepsPerEpoch + " must be >= 1");
        return (double) completedSteps / stepsPerEpoch;
    }
}
