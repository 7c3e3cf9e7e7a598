package dev.nnlab.store.filter;

/**
 * What a filter or sort refers to: {@code params.<key>}, {@code metrics.<key>[.last|.min|.max]}
 * or a run attribute.
 *
 * @param source    where the value comes from
 * @param key       the parameter or metric key; null for an attribute
 * @param aggregate for a metric, which summary column; null otherwise
 * @param attribute for an attribute, which one; null otherwise
 */
public record Field(Source source, String key, Aggregate aggregate, RunAttribute attribute) {

    public enum Source { PARAM, METRIC, ATTRIBUTE }

    /** Which value of a learning curve: its last point, its minimum or its maximum. */
    public enum Aggregate {
        LAST("last_value"), MIN("min_value"), MAX("max_value");

        final String column;

        Aggregate(String column) {
            this.column = column;
        }
    }

    static Field param(String key) {
        return new Field(Source.PARAM, key, null, null);
    }

    static Field metric(String key, Aggregate aggregate) {
        return new Field(Source.METRIC, key, aggregate, null);
    }

    static Field attribute(RunAttribute attribute) {
        return new Field(Source.ATTRIBUTE, null, null, attribute);
    }

    @Override
    public String toString() {
        return switch (source) {
            case PARAM -> "params." + key;
            case METRIC -> "metrics." + key + "." + aggregate.name().toLowerCase();
            case ATTRIBUTE -> attribute.fieldName();
        };
    }
}
