package dev.nnlab.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one reader of JSON that people send: experiment specs (files and {@code POST /api/runs}) and
 * the bodies of the HTTP API. Exactly one JSON value, nothing after it ({@code {...} garbage} and two
 * objects back to back are refused), and every error in plain words with a line and column: never
 * the parser's class names, settings or source excerpts.
 */
public final class StrictJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
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

    /** Reads exactly one JSON value. */
    public static JsonNode read(String text) throws MalformedJsonException {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) throw new MalformedJsonException("no JSON value (the text is empty)");
            return node;
        } catch (JsonProcessingException e) {
            throw new MalformedJsonException(describe(e));
        }
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
        } else if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            what = "text after the JSON value; send exactly one JSON value";
        } else if (e instanceof JsonParseException) {
            what = scrub(e.getOriginalMessage());
        } else {
            what = "not the expected JSON";
        }
        JsonLocation loc = e.getLocation();
        return what + (loc == null || loc.getLineNr() < 1 ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
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
