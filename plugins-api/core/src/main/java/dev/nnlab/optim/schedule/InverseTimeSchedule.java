package dev.nnlab.optim.schedule;

/**
 * Inverse-time decay {@code lr = a / (b + t)} with {@code t} in epochs: the Robbins-Monro
 * {@code 1/t} rate, shifted by {@code b} so that it starts finite at {@code a / b}.
 * {@link #fromInitial} gives the common form {@code lr0 / (1 + decay * t)}.
 *
 * <p>Stability: stable for plugin authors.
 */
public record InverseTimeSchedule(double a, double b) implements LearningRateSchedule {

    public InverseTimeSchedule {
        Checks.positive("a", a);
        Checks.positive("b", b);
    }

    /** {@code lr0 / (1 + decay * t)}, which is {@code a / (b + t)} with {@code a = lr0 / decay}, {@code b = 1 / decay}. */
    public static InverseTimeSchedule fromInitial(float lr0, double decay) {
        Checks.positive("lr", lr0);
        Checks.positive("decay", decay);
        return new InverseTimeSchedule(lr0 / decay, 1 / decay);
    }

    @Override
    public float lr(double epoch) {
        return (float) (a / (b + Math.max(epoch, 0)));
    }
}
