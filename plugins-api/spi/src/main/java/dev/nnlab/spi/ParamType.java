package dev.nnlab.spi;

/** The value types a model family's parameter can take. Stability: stable; may grow. */
public enum ParamType {
    INT, FLOAT, BOOL,
    /** One of a fixed set of strings. */
    CHOICE,
    /** A list of positive ints, e.g. hidden-layer widths. */
    INT_LIST,
    /**
     * One line of text in a syntax the family defines (a layer stack such as {@code conv3x3x32p1,relu,fc10}).
     * The schema checks only that it is a non-blank line of at most {@link ParamSchema#MAX_STRING} characters;
     * the family parses it in {@link ModelFamily#checkFits}, before anything is recorded.
     */
    STRING;

    public String jsonName() { return name().toLowerCase(java.util.Locale.ROOT); }
}
