package dev.nnlab.spi;

import dev.nnlab.nn.Range;

import java.util.List;

/**
 * One typed parameter of a model family: name, type, default, allowed range or values, and a
 * one-line description. The host validates every user value against it (CLI and HTTP alike), and
 * the web UI generates its launch form from it.
 *
 * <p>Ranges are on the number itself (for {@link ParamType#INT_LIST}, on every element). A
 * {@code null} bound means unbounded. A range comes from the rule the consuming constructor declares
 * ({@link #within}, e.g. {@code within(Sgd.MOMENTUM)}), so the planner accepts exactly what trains;
 * {@link #min}/{@link #max} may only narrow it further. {@code logScale} tells the UI and random search that the
 * parameter lives on a log scale (learning rates, weight decay).
 *
 * <p>Stability: stable.
 */
public record ParamSpec(String name, ParamType type, Object defaultValue,
                        Double min, boolean minInclusive, Double max, boolean maxInclusive,
                        List<String> choices, boolean logScale, String description) {

    public ParamSpec {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public static ParamSpec ofFloat(String name, double def, String description) {
        return new ParamSpec(name, ParamType.FLOAT, def, null, true, null, true, null, false, description);
    }

    public static ParamSpec ofInt(String name, int def, String description) {
        return new ParamSpec(name, ParamType.INT, def, null, true, null, true, null, false, description);
    }

    public static ParamSpec ofBool(String name, boolean def, String description) {
        return new ParamSpec(name, ParamType.BOOL, def, null, true, null, true, null, false, description);
    }

    public static ParamSpec ofChoice(String name, String def, List<String> choices, String description) {
        if (!choices.contains(def)) throw new IllegalArgumentException(def + " is not one of " + choices);
        return new ParamSpec(name, ParamType.CHOICE, def, null, true, null, true, choices, false, description);
    }

    public static ParamSpec ofIntList(String name, List<Integer> def, String description) {
        return new ParamSpec(name, ParamType.INT_LIST, List.copyOf(def), 1.0, true, null, true, null, false, description);
    }

    /** Free text the family parses itself; see {@link ParamType#STRING}. */
    public static ParamSpec ofString(String name, String def, String description) {
        return new ParamSpec(name, ParamType.STRING, def, null, true, null, true, null, false, description);
    }

    /**
     * Takes the bounds of {@code rule}, intersected with any bounds already set: the one declaration
     * of what the consuming constructor accepts.
     */
    public ParamSpec within(Range rule) {
        Range r = range().intersect(rule);
        return new ParamSpec(name, type, defaultValue, r.min(), r.minInclusive(), r.max(), r.maxInclusive(), choices,
                logScale, description);
    }

    /** The allowed interval of a number (of every element for a list); {@link Range#ANY} for other types. */
    public Range range() {
        return new Range(min, minInclusive, max, maxInclusive);
    }

    /** {@code value >= lo} (inclusive) or {@code value > lo}. */
    public ParamSpec min(double lo, boolean inclusive) {
        return new ParamSpec(name, type, defaultValue, lo, inclusive, max, maxInclusive, choices, logScale, description);
    }

    public ParamSpec max(double hi, boolean inclusive) {
        return new ParamSpec(name, type, defaultValue, min, minInclusive, hi, inclusive, choices, logScale, description);
    }

    public ParamSpec onLogScale() {
        return new ParamSpec(name, type, defaultValue, min, minInclusive, max, maxInclusive, choices, true, description);
    }

    /** "must be > 0 and <= 10", "one of [sgd, adam]", for error messages and the UI. */
    public String allowed() {
        return switch (type) {
            case BOOL -> "true or false";
            case CHOICE -> "one of " + choices;
            case STRING -> "a non-blank line of at most " + ParamSchema.MAX_STRING + " characters";
            case INT, FLOAT, INT_LIST -> {
                String what = switch (type) {
                    case INT -> "an integer";
                    case FLOAT -> "a number";
                    default -> "a list of integers";
                };
                String each = type == ParamType.INT_LIST ? ", each " : " ";
                yield min == null && max == null ? what : what + each + range().describe();
            }
        };
    }
}
