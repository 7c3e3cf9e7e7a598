package dev.nnlab.store.filter;

/**
 * A filter or sort expression that cannot be read, e.g.
 * {@code unexpected text at position 14: found ';', expected and, or, or the end of the filter}.
 */
public final class FilterSyntaxException extends IllegalArgumentException {

    private final int position;
    private final String found;
    private final String expected;

    /**
     * @param problem  what is wrong, e.g. {@code "unknown field"}
     * @param position 0-based index of the offending text in the expression
     * @param found    the offending text, or null at the end of the expression
     * @param expected what would have been valid there
     */
    public FilterSyntaxException(String problem, int position, String found, String expected) {
        super(problem + " at position " + position + ": found "
                + (found == null ? "the end of the filter" : "'" + shortened(found) + "'")
                + ", expected " + expected);
        this.position = position;
        this.found = found;
        this.expected = expected;
    }

    /** A message quotes at most this much of the offending text: a 4,000-character string needs no echo. */
    private static String shortened(String found) {
        return found.length() <= 60 ? found : found.substring(0, 57) + "...";
    }

    public int position() {
        return position;
    }

    /** The offending text, or null when the expression ended too early. */
    public String found() {
        return found;
    }

    public String expected() {
        return expected;
    }
}
