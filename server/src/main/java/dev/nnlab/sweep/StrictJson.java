package dev.nnlab.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one reader of JSON that people send: experiment specs (files and {@code POST /api/runs}) and
 * the bodies of the HTTP API. Exactly one JSON value, nothing after it ({@code {...} garbage} and two
 * objects back to back are refused), and every error in plain words with a line and column: never
 * the parser's class names, settings or source excerpts.
 */
public final class StrictJson {
    // Duplicate detection: {"lr":0.1,"lr":5} must not quietly mean lr = 5. Trailing text is checked
    // by read() itself rather than by FAIL_ON_TRAILING_TOKENS, so that "{...} garbage" gets the same
    // message as "{...}{...}" instead of one about the token "garbage".
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final String TRAILING = "text after the JSON value; send exactly one JSON value";
    /** Jackson's own names in a message: {@code `com.fasterxml...`}, {@code [Source: ...]} and the like. */
    private static final Pattern INTERNALS = Pattern.compile("`[^`]*`|\\[Source:[^\\]]*]|\\((?:start marker|for|through reference chain)[^)]*\\)?");
    private static final Pattern LEAKS = Pattern.compile("(?i)jackson|fasterxml|feature|constraints|java\\.|exception");

    private StrictJson() {}

    /** Why a text is not one JSON value, said for a person. */
    public static final class MalformedJsonException extends Exception {
        MalformedJsonException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads exactly one JSON value whose strings and field names are text: no NUL character and no
     * half of a surrogate pair ({@code "\ud800"} is valid JSON but no character at all, and would be
     * stored as a replacement character).
     */
    public static JsonNode read(String text) throws MalformedJsonException {
        JsonNode node;
        try (JsonParser parser = MAPPER.createParser(text)) {
            node = MAPPER.readTree(parser);
            if (node == null || node.isMissingNode()) throw new MalformedJsonException("no JSON value (the text is empty)");
            // Whatever follows the value, even text that is not JSON at all, is one mistake: say that one.
            JsonLocation after;
            try {
                after = parser.nextToken() == null ? null : parser.currentTokenLocation();
            } catch (JsonProcessingException e) {
                after = e.getLocation();
            }
            if (after != null) throw new MalformedJsonException(TRAILING + at(after));
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(describe(e));
        } catch (java.io.IOException e) {
            throw new MalformedJsonException("not valid JSON");
        }
        requireText(node, "$");
        return node;
    }

    private static void requireText(JsonNode node, String path) throws MalformedJsonException {
        if (node.isTextual()) {
            String problem = textProblem(node.textValue());
            if (problem != null) throw new MalformedJsonException("the string at " + path + " " + problem);
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) requireText(node.get(i), path + "[" + i + "]");
        } else if (node.isObject()) {
            for (var it = node.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                String problem = textProblem(e.getKey());
                if (problem != null) throw new MalformedJsonException("a field name in " + path + " " + problem);
                requireText(e.getValue(), path + "." + e.getKey());
            }
        }
    }

    /** Null for text; else what is wrong with it. */
    static String textProblem(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) return "holds a NUL character";
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "holds half of a surrogate pair, which is no character";
            }
            if (Character.isLowSurrogate(c)) return "holds half of a surrogate pair, which is no character";
        }
        return null;
    }

    /** A parser error as a sentence with its line and column. */
    public static String describe(JsonProcessingException e) {
        String what;
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("nesting depth")) what = "nested too deeply";
            else if (m.contains("number")) what = "a number with too many digits";
            else if (m.contains("string") || m.contains("name")) what = "a string or field name that is too long";
            else what = "larger than the server reads";
        } else if (e instanceof JsonParseException) {
            what = scrub(e.getOriginalMessage());
        } else {
            what = "not the expected JSON";
        }
        return what + at(e.getLocation());
    }

    private static String at(JsonLocation loc) {
        return loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    private static String scrub(String message) {
        if (message == null) return "not valid JSON";
        String m = message.lines().findFirst().orElse("");
        m = INTERNALS.matcher(m).replaceAll("").replaceAll("\\s+", " ").replaceAll("\\s+([:;,.)])", "$1").strip();
        if (m.endsWith(":")) m = m.substring(0, m.length() - 1);
        if (m.isEmpty() || LEAKS.matcher(m).find()) return "not valid JSON";
        return m;
    }
}
