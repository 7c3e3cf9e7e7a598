package dev.nnlab.lessons;

import java.util.List;
import java.util.Map;

/**
 * The outcome of a lesson on one batch: HELD when every check held, NOT_HELD when one did not
 * hold, else NOT_MEASURABLE (a run missing, diverged or unfinished, or seeds too spread to tell).
 */
public record Verdict(Outcome outcome, List<CheckResult> checks) {

    public enum Outcome { HELD, NOT_HELD, NOT_MEASURABLE }

    /**
     * One check's outcome with what was measured.
     *
     * @param describe the check in words, e.g. {@code train_loss at epoch 1: optimizer=momentum < optimizer=sgd}
     * @param reason   why it was not measurable, or how it was decided (e.g. the standard error used)
     * @param value    the threshold of the threshold form, else null
     * @param aggregate how a group's value was taken from its runs: mean, or max / min (the best run)
     */
    public record CheckResult(String describe, Outcome outcome, String reason, String statistic, String compare,
                              GroupValue group, GroupValue other, Object value, String aggregate) {}

    /** A group's runs with their values and the mean and standard deviation over them (sd NaN for one run). */
    public record GroupValue(Map<String, Object> params, List<RunValue> runs, double mean, double sd) {}

    /** One run's value of the statistic: a number, or for status its name in {@code text}. */
    public record RunValue(long runId, double value, String text) {}

    static Outcome combine(List<CheckResult> checks) {
        if (checks.stream().anyMatch(c -> c.outcome() == Outcome.NOT_HELD)) return Outcome.NOT_HELD;
        if (checks.stream().allMatch(c -> c.outcome() == Outcome.HELD)) return Outcome.HELD;
        return Outcome.NOT_MEASURABLE;
    }
}
