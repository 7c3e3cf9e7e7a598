package dev.nnlab.store.filter;

/** A column of a run that filters and sorts may name directly. */
public enum RunAttribute {
    ID("id", true),
    NAME("name", false),
    STATUS("status", false),
    FAMILY("family", false),
    /** By name when compared to a string, by id when compared to a number. */
    EXPERIMENT("experiment_id", true),
    DATASET("dataset", false),
    SEED("seed", true),
    PLUGIN("plugin_id", false),
    /** Times, epoch ms: mostly for sorting. */
    CREATED("created", true),
    STARTED("started", true),
    ENDED("ended", true);

    /** The column of {@code runs}. */
    final String column;
    final boolean numeric;

    RunAttribute(String column, boolean numeric) {
        this.column = column;
        this.numeric = numeric;
    }

    /** The name a user writes, e.g. {@code plugin}. */
    public String fieldName() {
        return name().toLowerCase();
    }

    static RunAttribute byFieldName(String name) {
        for (RunAttribute a : values()) {
            if (a.fieldName().equals(name)) return a;
        }
        return null;
    }
}
