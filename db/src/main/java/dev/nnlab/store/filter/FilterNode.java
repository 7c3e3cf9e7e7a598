package dev.nnlab.store.filter;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The syntax tree of a filter. {@link #toString()} writes it back fully parenthesised, which shows
 * how precedence grouped it.
 */
public sealed interface FilterNode {

    record And(FilterNode left, FilterNode right) implements FilterNode {
        @Override
        public String toString() {
            return "(" + left + " and " + right + ")";
        }
    }

    record Or(FilterNode left, FilterNode right) implements FilterNode {
        @Override
        public String toString() {
            return "(" + left + " or " + right + ")";
        }
    }

    record Not(FilterNode inner) implements FilterNode {
        @Override
        public String toString() {
            return "(not " + inner + ")";
        }
    }

    /** {@code value} is a {@code Long}, {@code Double}, {@code String} or {@code Boolean}. */
    record Compare(Field field, Operator op, Object value) implements FilterNode {
        @Override
        public String toString() {
            return field + " " + op + " " + literal(value);
        }
    }

    /** {@code field [not] in (v1, v2, ...)}. */
    record In(Field field, List<Object> values, boolean negated) implements FilterNode {
        @Override
        public String toString() {
            return field + (negated ? " not in (" : " in (")
                    + values.stream().map(FilterNode::literal).collect(Collectors.joining(", ")) + ")";
        }
    }

    private static String literal(Object v) {
        return v instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(v);
    }
}
