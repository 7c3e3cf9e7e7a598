package dev.nnlab.spi;

/** The value types a model family's parameter can take. Stability: stable; may grow. */
public enum ParamType {
    INT, FLOAT, BOOL,
    /** One of a fixed set of strings. */
    CHOICE,
    /** A list of positive ints, e.g. hidden-layer widths. */
    INT_LIST;

    public String jsonName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
