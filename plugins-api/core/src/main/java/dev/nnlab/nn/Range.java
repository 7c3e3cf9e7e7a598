package dev.nnlab.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The values a hyperparameter may take: an interval with open or closed ends, either end possibly
 * unbounded. A rule is declared once, beside the constructor that needs it ({@code Sgd.MOMENTUM},
 * {@code Dropout.P}), and that same constant is what a family's parameter schema is built from
 * ({@code ParamSpec.within}); so the planner, the UI form and the constructor accept exactly the same
 * values and say so in the same words. A schema may narrow a rule ({@link #intersect}: a learning rate
 * above 100 is legal but never useful) but never widen it.
 *
 * <p>Non-finite values (NaN, infinities) are never contained.
 *
 * <p>Stability: stable for plugin authors.
 *
 * @param min null for no lower bound
 * @param max null for no upper bound
 */
public record Range(Double min, boolean minInclusive, Double max, boolean maxInclusive) {
    /** Every finite number. */
    public static final Range ANY = new Range(null, true, null, true);

    public Range {
        if (min != null && max != null && (min > max || min.equals(max) && !(minInclusive && maxInclusive))) {
            throw new IllegalArgumentException("empty range " + describe(min, minInclusive, max, maxInclusive));
        }
    }

    /** {@code [lo, inf)}. */
    public static Range atLeast(double lo) { return new Range(lo, true, null, true); }

    /** {@code (lo, inf)}. */
    public static Range above(double lo) { return new Range(lo, false, null, true); }

    /** {@code [lo, hi)}: a decay or a probability that must stay below 1. */
    public static Range closedOpen(double lo, double hi) { return new Range(lo, true, hi, false); }

    /** {@code (lo, hi]}: a factor that must shrink but may keep. */
    public static Range openClosed(double lo, double hi) { return new Range(lo, false, hi, true); }

    /** {@code (lo, hi)}. */
    public static Range open(double lo, double hi) { return new Range(lo, false, hi, false); }

    /** {@code [lo, hi]}. */
    public static Range closed(double lo, double hi) { return new Range(lo, true, hi, true); }

    /** This range with its upper end replaced by {@code hi}; used by schemas to cap a rule for practicality. */
    public Range atMost(double hi) { return intersect(new Range(null, true, hi, true)); }

    /** The values both ranges allow: a parameter that feeds two constructors must satisfy both rules. */
    public Range intersect(Range o) {
        Double lo = min;
        boolean loIn = minInclusive;
        if (o.min != null && (lo == null || o.min > lo || o.min.equals(lo) && !o.minInclusive)) {
            lo = o.min;
            loIn = o.minInclusive;
        }
        Double hi = max;
        boolean hiIn = maxInclusive;
        if (o.max != null && (hi == null || o.max < hi || o.max.equals(hi) && !o.maxInclusive)) {
            hi = o.max;
            hiIn = o.maxInclusive;
        }
        return new Range(lo, loIn, hi, hiIn);
    }

    public boolean contains(double v) {
        if (!Double.isFinite(v)) return false;
        if (min != null && (minInclusive ? v < min : v <= min)) return false;
        return max == null || (maxInclusive ? v <= max : v < max);
    }

    /** True when every value of {@code inner} is also in this range. */
    public boolean encloses(Range inner) {
        return intersect(inner).equals(inner);
    }

    /** ">= 0 and < 1", "> 0", or "any finite value": the words the schema, the API and every constructor use. */
    public String describe() { return describe(min, minInclusive, max, maxInclusive); }

    /**
     * Returns {@code v} if allowed; otherwise throws an {@link IllegalArgumentException} that names the
     * owner, the field, the value and the rule: {@code "optimizer 'adam': beta2 = 1.0 is not allowed;
     * expected a number >= 0 and < 1"}.
     */
    public double require(String owner, String field, double v) {
        if (!contains(v)) throw refused(owner, field, String.valueOf(v), "a number");
        return v;
    }

    public float require(String owner, String field, float v) {
        if (!contains(v)) throw refused(owner, field, String.valueOf(v), "a number");
        return v;
    }

    public int require(String owner, String field, int v) {
        if (!contains(v)) throw refused(owner, field, String.valueOf(v), "an integer");
        return v;
    }

    private IllegalArgumentException refused(String owner, String field, String value, String what) {
        String rule = describe();
        return new IllegalArgumentException((owner == null || owner.isEmpty() ? "" : owner + ": ") + field + " = " + value
                + " is not allowed; expected " + (rule.startsWith("any") ? "a finite number" : what + " " + rule));
    }

    private static String describe(Double min, boolean minInclusive, Double max, boolean maxInclusive) {
        List<String> parts = new ArrayList<>();
        if (min != null) parts.add((minInclusive ? ">= " : "> ") + fmt(min));
        if (max != null) parts.add((maxInclusive ? "<= " : "< ") + fmt(max));
        return parts.isEmpty() ? "any finite value" : String.join(" and ", parts);
    }

    /** 1 rather than 1.0; 0.1 rather than 0.10000000149011612 for a bound that came from a float. */
    public static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return String.valueOf((long) d);
        return (double) (float) d == d ? Float.toString((float) d) : String.format(Locale.ROOT, "%s", d);
    }

    @Override
    public String toString() { return describe(); }
}
