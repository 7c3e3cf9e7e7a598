package dev.nnlab.optim.schedule;

import dev.nnlab.nn.Range;

/**
 * Inverse-time decay {@code lr = a / (b + t)} with {@code t} in epochs: the Robbins-Monro
 * {@code 1/t} rate, shifted by {@code b} so that it starts finite at {@code a / b}.
 * {@link #fromInitial} gives the common form {@code lr0 / (1 + decay * t)}.
 *
 * <p>Stability: stable for plugin authors.
 */
public record InverseTimeSchedule(double a, double b) implements LearningRateSchedule {
    private static final String OWNER = "schedule 'inverse_time'";
    private static final Range POSITIVE = Range.above(0);
    /** {@code k} of {@code lr0 / (1 + k t)}: 0 would be a constant rate and is the constant schedule's job. */
    public static final Range DECAY = Range.above(0);

    public InverseTimeSchedule {
        POSITIVE.require(OWNER, "a", a);
        POSITIVE.require(OWNER, "b", b);
    }

    /** {@code lr0 / (1 + decay * t)}, which is {@code a / (b + t)} with {@code a = lr0 / decay}, {@code b = 1 / decay}. */
    public static InverseTimeSchedule fromInitial(float lr0, double decay) {
        BASE_LR.require(OWNER, "lr", lr0);
        DECAY.require(OWNER, "decay", decay);
        return new InverseTimeSchedule(lr0 / decay, 1 / decay);
    }

    @Override
    public float lr(double epoch) {
        return (float) (a / (b + Math.max(epoch, 0)));
    }
}
