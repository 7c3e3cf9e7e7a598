package dev.nnlab.store.filter;

import java.util.List;

/**
 * One token of a filter.
 *
 * @param text     the source text, for error messages
 * @param position where it starts
 * @param value    {@link Kind#FIELD}: the dotted segments ({@code List<String>}); {@link Kind#NUMBER}:
 *                 a {@code Long} or {@code Double}; {@link Kind#STRING}: the unquoted string;
 *                 {@link Kind#OPERATOR}: the {@link Operator}; otherwise null
 */
record Token(Kind kind, String text, int position, Object value) {

    enum Kind { FIELD, NUMBER, STRING, OPERATOR, AND, OR, NOT, IN, TRUE, FALSE, LPAREN, RPAREN, COMMA, END }

    @SuppressWarnings("unchecked")
    List<String> segments() {
        return (List<String>) value;
    }

    /** The text for "found ..." in an error message; null at the end. */
    String found() {
        return kind == Kind.END ? null : text;
    }
}
