package dev.nnlab.store.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a filter into tokens. Fields are dotted segments, each bare ({@code val_acc},
 * {@code conv1/w}, {@code lr-decay}) or backquoted ({@code `odd key.with dots`}, a backquote doubled
 * inside); strings are single- or double-quoted with the quote doubled inside.
 */
final class FilterLexer {

    static final String TOKEN_START = "a field, a value, an operator, '(', ')' or ','";

    private final String src;
    private int pos;

    private FilterLexer(String src) {
        this.src = src;
    }

    static List<Token> tokenize(String src) {
        FilterLexer lexer = new FilterLexer(src);
        List<Token> out = new ArrayList<>();
        Token t;
        do {
            t = lexer.next();
            out.add(t);
        } while (t.kind() != Token.Kind.END);
        return out;
    }

    private Token next() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
        int start = pos;
        if (pos >= src.length()) return new Token(Token.Kind.END, "", start, null);
        char c = src.charAt(pos);
        switch (c) {
            case '(' -> { pos++; return new Token(Token.Kind.LPAREN, "(", start, null); }
            case ')' -> { pos++; return new Token(Token.Kind.RPAREN, ")", start, null); }
            case ',' -> { pos++; return new Token(Token.Kind.COMMA, ",", start, null); }
            case '=' -> { pos++; return operator(Operator.EQ, start); }
            case '<' -> { pos++; return operator(take('=') ? Operator.LE : Operator.LT, start); }
            case '>' -> { pos++; return operator(take('=') ? Operator.GE : Operator.GT, start); }
            case '!' -> {
                pos++;
                if (take('=')) return operator(Operator.NE, start);
                throw new FilterSyntaxException("unexpected character", start, "!", "'!='");
            }
            case '\'', '"' -> { return string(c, start); }
            default -> { }
        }
        if (isDigit(c) || ((c == '-' || c == '+' || c == '.') && pos + 1 < src.length()
                && (isDigit(src.charAt(pos + 1)) || src.charAt(pos + 1) == '.'))) {
            return number(start);
        }
        if (Character.isLetter(c) || c == '_' || c == '`') return field(start);
        throw new FilterSyntaxException("unexpected character", start, String.valueOf(c), TOKEN_START);
    }

    private Token operator(Operator op, int start) {
        return new Token(Token.Kind.OPERATOR, op.symbol, start, op);
    }

    private boolean take(char c) {
        if (pos < src.length() && src.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private Token string(char quote, int start) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new FilterSyntaxException("unterminated string", start, src.substring(start),
                        "a closing " + quote);
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                if (!take(quote)) break;
            }
            sb.append(c);
        }
        return new Token(Token.Kind.STRING, src.substring(start, pos), start, sb.toString());
    }

    private Token number(int start) {
        if (src.charAt(pos) == '-' || src.charAt(pos) == '+') pos++;
        boolean integral = true;
        while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
        if (take('.')) {
            integral = false;
            while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
        }
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (!take('-')) take('+');
            int digits = pos;
            while (pos < src.length() && isDigit(src.charAt(pos))) pos++;
            if (pos == digits) {
                throw new FilterSyntaxException("malformed number", start, src.substring(start, pos),
                        "digits after the exponent");
            }
        }
        if (pos < src.length() && isFieldChar(src.charAt(pos))) {
            throw new FilterSyntaxException("malformed number", start, src.substring(start, pos + 1),
                    "a number such as 3, -0.5 or 1e-3");
        }
        String text = src.substring(start, pos);
        try {
            Object value = integral ? (Object) Long.parseLong(text) : (Object) Double.parseDouble(text);
            if (value instanceof Double d && Double.isInfinite(d)) {
                throw new FilterSyntaxException("number out of range", start, text, "a finite number (at most about 1.8e308)");
            }
            return new Token(Token.Kind.NUMBER, text, start, value);
        } catch (NumberFormatException e) {
            throw new FilterSyntaxException("malformed number", start, text, "a number such as 3, -0.5 or 1e-3");
        }
    }

    private Token field(int start) {
        List<String> segments = new ArrayList<>();
        boolean quoted = false;
        while (true) {
            if (pos < src.length() && src.charAt(pos) == '`') {
                segments.add(backquoted());
                quoted = true;
            } else {
                int s = pos;
                while (pos < src.length() && isFieldChar(src.charAt(pos))) pos++;
                if (pos == s) {
                    throw new FilterSyntaxException("incomplete field name", start,
                            src.substring(start, Math.min(src.length(), pos + 1)), "a name after '.'");
                }
                segments.add(src.substring(s, pos));
            }
            if (!take('.')) break;
        }
        String text = src.substring(start, pos);
        if (!quoted && segments.size() == 1) {
            Token.Kind keyword = switch (text.toLowerCase()) {
                case "and" -> Token.Kind.AND;
                case "or" -> Token.Kind.OR;
                case "not" -> Token.Kind.NOT;
                case "in" -> Token.Kind.IN;
                case "true" -> Token.Kind.TRUE;
                case "false" -> Token.Kind.FALSE;
                default -> null;
            };
            if (keyword != null) return new Token(keyword, text, start, null);
        }
        return new Token(Token.Kind.FIELD, text, start, List.copyOf(segments));
    }

    private String backquoted() {
        int start = pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length()) {
                throw new FilterSyntaxException("unterminated quoted name", start, src.substring(start), "a closing `");
            }
            char c = src.charAt(pos++);
            if (c == '`' && !take('`')) return sb.toString();
            sb.append(c);
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isFieldChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '/' || c == ':';
    }
}
