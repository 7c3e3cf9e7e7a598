package dev.nnlab.spi;

/**
 * How a run ended, as the family saw it. A family that throws is recorded as FAILED by the host.
 *
 * <p>Stability: stable.
 */
public record TrainResult(Outcome outcome, String message) {

    public enum Outcome {
        FINISHED,
        /** Loss became NaN or infinite; {@code message} says at which step. */
        DIVERGED,
        /** The host asked it to stop. */
        STOPPED
    }

    public static TrainResult finished() { return new TrainResult(Outcome.FINISHED, null); }
    public static TrainResult stopped() { return new TrainResult(Outcome.STOPPED, "stopped on request"); }
    public static TrainResult diverged(String why) { return new TrainResult(Outcome.DIVERGED, why); }
}
