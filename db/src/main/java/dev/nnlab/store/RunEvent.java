package dev.nnlab.store;

/**
 * A diagnostic of a run, e.g. {@code (WARNING, "dead_relu", "62% of dense1 is dead",
 * "lower the learning rate or use LeakyReLU")}.
 *
 * @param step     the step it refers to, or -1 for none
 * @param code     a stable machine-readable name the UI can link to documentation
 * @param hint     what to try, or null
 * @param wallTime when it happened, epoch ms
 */
public record RunEvent(long runId, long step, Level level, String code, String message, String hint,
                       long wallTime) implements Observation {

    public enum Level { INFO, WARNING, ERROR }
}
