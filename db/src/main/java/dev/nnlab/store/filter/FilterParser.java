package dev.nnlab.store.filter;

import dev.nnlab.store.RunStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Recursive descent over the filter grammar, loosest binding first:
 * <pre>
 * filter     := or END
 * or         := and ('or' and)*
 * and        := not ('and' not)*
 * not        := 'not' not | '(' or ')' | comparison
 * comparison := field op literal | field ['not'] 'in' '(' literal (',' literal)* ')'
 * literal    := number | string | 'true' | 'false'
 * </pre>
 * Types are checked here, where positions are known: metrics compare to numbers, booleans only
 * to parameters, {@code status} to a known status.
 */
final class FilterParser {

    static final String FIELD_HELP = "params.<key>, metrics.<key>[.last|.min|.max] or one of "
            + Arrays.stream(RunAttribute.values()).map(RunAttribute::fieldName).collect(Collectors.joining(", "));
    private static final String LITERAL = "a number, a quoted string, true or false";
    private static final String OPERATOR = "a comparison (=, !=, <, <=, >, >=) or in";
    // Bounds the recursion, so that "((((...": sent to the HTTP API cannot overflow the stack.
    private static final int MAX_DEPTH = 64;
    /**
     * Bounds what one filter may cost: each comparison is a subquery, and SQLite refuses an
     * expression tree deeper than 1000 anyway (an error the user would otherwise see as a failure).
     */
    static final int MAX_LENGTH = 4000;
    static final int MAX_COMPARISONS = 100;
    static final int MAX_IN_VALUES = 500;

    private final List<Token> tokens;
    private int index;
    private int depth;
    private int comparisons;

    private FilterParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static FilterNode parse(String filter) {
        if (filter.length() > MAX_LENGTH) {
            throw new FilterSyntaxException("filter too long (" + filter.length() + " characters)", MAX_LENGTH,
                    filter.substring(MAX_LENGTH), "at most " + MAX_LENGTH + " characters");
        }
        FilterParser p = new FilterParser(FilterLexer.tokenize(filter));
        FilterNode node = p.or();
        Token end = p.peek();
        if (end.kind() != Token.Kind.END) {
            String expected = end.kind() == Token.Kind.RPAREN ? "and, or, or the end of the filter (unbalanced ')')"
                    : "and, or, or the end of the filter";
            throw new FilterSyntaxException("unexpected text", end.position(), end.found(), expected);
        }
        return node;
    }

    private FilterNode or() {
        FilterNode left = and();
        while (accept(Token.Kind.OR)) left = new FilterNode.Or(left, and());
        return left;
    }

    private FilterNode and() {
        FilterNode left = not();
        while (accept(Token.Kind.AND)) left = new FilterNode.And(left, not());
        return left;
    }

    private FilterNode not() {
        Token t = peek();
        if (++depth > MAX_DEPTH) {
            throw new FilterSyntaxException("filter nested too deeply", t.position(), t.found(),
                    "at most " + MAX_DEPTH + " levels of 'not' and parentheses");
        }
        try {
            if (accept(Token.Kind.NOT)) return new FilterNode.Not(not());
            if (accept(Token.Kind.LPAREN)) {
                FilterNode inner = or();
                expect(Token.Kind.RPAREN, "and, or, or ')'");
                return inner;
            }
            return comparison();
        } finally {
            depth--;
        }
    }

    private FilterNode comparison() {
        Token t = next();
        if (++comparisons > MAX_COMPARISONS) {
            throw new FilterSyntaxException("too many comparisons", t.position(), t.found(),
                    "at most " + MAX_COMPARISONS + " comparisons in one filter");
        }
        if (t.kind() != Token.Kind.FIELD) {
            throw new FilterSyntaxException("unexpected text", t.position(), t.found(), "a field, 'not' or '('");
        }
        Field field = resolveField(t);
        Token op = next();
        if (op.kind() == Token.Kind.OPERATOR) {
            Token literal = next();
            Operator operator = (Operator) op.value();
            return new FilterNode.Compare(field, operator, literal(field, operator, literal));
        }
        boolean negated = op.kind() == Token.Kind.NOT;
        if (negated) op = next();
        if (op.kind() != Token.Kind.IN) {
            throw new FilterSyntaxException("unexpected text", op.position(), op.found(), negated ? "in" : OPERATOR);
        }
        expect(Token.Kind.LPAREN, "'(' opening the list of values");
        List<Object> values = new ArrayList<>();
        do {
            Token v = next();
            if (values.size() == MAX_IN_VALUES) {
                throw new FilterSyntaxException("too many values in a list", v.position(), v.found(),
                        "at most " + MAX_IN_VALUES + " values after in");
            }
            values.add(literal(field, Operator.EQ, v));
        } while (accept(Token.Kind.COMMA));
        expect(Token.Kind.RPAREN, "',' or ')' closing the list of values");
        return new FilterNode.In(field, List.copyOf(values), negated);
    }

    /** Reads a literal and checks that it suits the field. */
    private static Object literal(Field field, Operator op, Token t) {
        Object value = switch (t.kind()) {
            case NUMBER, STRING -> t.value();
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            default -> throw new FilterSyntaxException("unexpected text", t.position(), t.found(), LITERAL);
        };
        if (value instanceof Boolean && (field.source() != Field.Source.PARAM || (op != Operator.EQ && op != Operator.NE))) {
            throw new FilterSyntaxException("booleans compare only to parameters, with = or !=",
                    t.position(), t.found(), field.source() == Field.Source.PARAM ? "= or !=" : "a number or a string");
        }
        return switch (field.source()) {
            case PARAM -> value;
            case METRIC -> requireNumber(field, t, value);
            case ATTRIBUTE -> switch (field.attribute()) {
                case STATUS -> status(t, value);
                case EXPERIMENT -> value;
                default -> field.attribute().numeric ? requireNumber(field, t, value)
                        : value instanceof Number ? t.text() : value;
            };
        };
    }

    private static Object requireNumber(Field field, Token t, Object value) {
        if (value instanceof Number) return value;
        throw new FilterSyntaxException(field + " is a number", t.position(), t.found(), "a number");
    }

    private static Object status(Token t, Object value) {
        String name = String.valueOf(value).toUpperCase(Locale.ROOT);
        for (RunStatus s : RunStatus.values()) {
            if (s.name().equals(name)) return name;
        }
        throw new FilterSyntaxException("unknown status", t.position(), t.found(),
                "one of " + Arrays.stream(RunStatus.values()).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** Maps the segments of a field token to what they name. */
    static Field resolveField(Token t) {
        List<String> seg = t.segments();
        String head = seg.getFirst().toLowerCase(Locale.ROOT);
        if (seg.size() >= 2 && head.equals("params")) {
            return Field.param(String.join(".", seg.subList(1, seg.size())));
        }
        if (seg.size() >= 2 && head.equals("metrics")) {
            Field.Aggregate aggregate = seg.size() >= 3 ? aggregate(seg.getLast()) : null;
            if (aggregate != null) return Field.metric(String.join(".", seg.subList(1, seg.size() - 1)), aggregate);
            return Field.metric(String.join(".", seg.subList(1, seg.size())), Field.Aggregate.LAST);
        }
        if (seg.size() == 1) {
            RunAttribute attribute = RunAttribute.byFieldName(head);
            if (attribute != null) return Field.attribute(attribute);
        }
        throw new FilterSyntaxException("unknown field", t.position(), t.text(), FIELD_HELP);
    }

    private static Field.Aggregate aggregate(String s) {
        return switch (s) {
            case "last" -> Field.Aggregate.LAST;
            case "min" -> Field.Aggregate.MIN;
            case "max" -> Field.Aggregate.MAX;
            default -> null;
        };
    }

    private Token peek() {
        return tokens.get(index);
    }

    private Token next() {
        Token t = tokens.get(index);
        if (t.kind() != Token.Kind.END) index++;
        return t;
    }

    private boolean accept(Token.Kind kind) {
        if (peek().kind() != kind) return false;
        index++;
        return true;
    }

    private void expect(Token.Kind kind, String expected) {
        Token t = next();
        if (t.kind() != kind) throw new FilterSyntaxException("unexpected text", t.position(), t.found(), expected);
    }
}
