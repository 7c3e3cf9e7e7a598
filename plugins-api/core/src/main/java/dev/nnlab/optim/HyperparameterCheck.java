package dev.nnlab.optim;

/** Range checks whose messages name the owner, the field, the value and the allowed range. */
final class HyperparameterCheck {
    private HyperparameterCheck() {}

    /** Finite and {@code >= 0}. */
    static float nonNegative(String owner, String field, float v) {
        if (!(v >= 0f) || !Float.isFinite(v)) throw outside(owner, field, v, "[0, inf)");
        return v;
    }

    /** Finite and {@code > 0}. */
    static float positive(String owner, String field, float v) {
        if (!(v > 0f) || !Float.isFinite(v)) throw outside(owner, field, v, "(0, inf)");
        return v;
    }

    /** In {@code [0, 1)}: an exponential-average decay, where 1 would never forget. */
    static float decay(String owner, String field, float v) {
        if (!(v >= 0f && v < 1f)) throw outside(owner, field, v, "[0, 1)");
        return v;
    }

    /** In {@code (0, 1)}. */
    static float openUnit(String owner, String field, float v) {
        if (!(v > 0f && v < 1f)) throw outside(owner, field, v, "(0, 1)");
        return v;
    }

    private static IllegalArgumentException outside(String owner, String field, float v, String range) {
        return new IllegalArgumentException(owner + ": " + field + " = " + v + " is outside " + range);
    }
}
