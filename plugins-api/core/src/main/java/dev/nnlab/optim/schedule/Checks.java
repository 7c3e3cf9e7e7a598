package dev.nnlab.optim.schedule;

/** Argument checks shared by the schedules; messages name the field and its value. */
final class Checks {
    private Checks() {}

    static void positive(String field, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(field + " = " + value + " must be a finite number > 0");
        }
    }

    static void inUnitInterval(String field, double value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " = " + value + " must be in (0, 1]");
        }
    }
}
