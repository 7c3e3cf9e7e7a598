package dev.nnlab.lessons;

import java.util.List;
import java.util.Map;

/**
 * One check of a lesson: a statistic of the runs in {@code group}, compared either with the same
 * statistic of the runs in {@code other} (comparison form) or with a fixed {@code value} (threshold
 * form). A group is a set of parameter values; a run belongs to it when its resolved parameters
 * have all of them ({@code {}} is every run of the batch).
 *
 * @param compare  {@code <}, {@code <=}, {@code >}, {@code >=}; in the threshold form also
 *                 {@code within} (value {@code [low, high]}), and for {@code status} {@code ==} / {@code !=}
 * @param other    the second group (comparison form), else null
 * @param value    the threshold: a Double, a {@code List<Double>} of two for {@code within}, or a
 *                 status name; null in the comparison form
 * @param path     where the check is in the spec, e.g. {@code $.lesson.checks[0]}
 * @param aggregate how a group's runs give its value: {@code mean} (the default; seeds' spread decides)
 *                 or {@code max} / {@code min}, the best of the group's runs (a search's best so far)
 * @param trials   with max/min: only the group's first {@code trials} runs in plan order count (the best
 *                 after that many trials); 0 for all
 */
public record Check(Statistic statistic, Map<String, Object> group, String compare, Map<String, Object> other,
                    Object value, String path, String aggregate, int trials) {

    public static final List<String> ORDERINGS = List.of("<", "<=", ">", ">=");
    public static final List<String> AGGREGATES = List.of("mean", "max", "min");

    public Check(Statistic statistic, Map<String, Object> group, String compare, Map<String, Object> other, Object value, String path) {
        this(statistic, group, compare, other, value, path, "mean", 0);
    }

    /** True when the group's value is its best run, not the mean over its runs. */
    public boolean best() {
        return !aggregate.equals("mean");
    }

    public boolean isComparison() {
        return other != null;
    }

    /** {@code a compare b} for the orderings. */
    static boolean holds(String compare, double a, double b) {
        return switch (compare) {
            case "<" -> a < b;
            case "<=" -> a <= b;
            case ">" -> a > b;
            case ">=" -> a >= b;
            default -> throw new IllegalArgumentException("not an ordering: " + compare);
        };
    }
}
