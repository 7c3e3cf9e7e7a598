package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.runs.RunAnnotations;
import dev.nnlab.runs.RunCatalog;
import dev.nnlab.sweep.StrictJson;
import dev.nnlab.store.RunQuery;
import io.javalin.http.Context;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Reads what a request says (path ids, query parameters, JSON bodies) into typed values; 400 when it cannot. */
final class Requests {
    private Requests() {}

    /**
     * Refuses a query string with a broken percent escape ({@code %zz}, a lone {@code %}): the
     * server would otherwise drop the parameter and answer as if it had not been given.
     */
    static void checkQuery(Context ctx) {
        String q = ctx.queryString();
        if (q == null) return;
        for (int i = q.indexOf('%'); i >= 0; i = q.indexOf('%', i + 1)) {
            if (i + 2 >= q.length() || Character.digit(q.charAt(i + 1), 16) < 0 || Character.digit(q.charAt(i + 2), 16) < 0) {
                throw new BadRequestException("the query string has a broken percent escape at position " + i
                        + "; encode '%' as %25");
            }
        }
    }

    static long experimentId(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequestException("experiment id \"" + id + "\" is not a number");
        }
    }

    static long runId(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequestException("run id \"" + id + "\" is not a number");
        }
    }

    static int integer(Context ctx, String name, int defaultValue) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return defaultValue;
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + "=" + v + " is not an integer");
        }
    }

    static boolean bool(Context ctx, String name, boolean defaultValue) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) return defaultValue;
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new BadRequestException(name + "=" + v + " is not true or false");
        };
    }

    /** {@code keys=a,b,c} (or repeated {@code keys=}); empty for all keys. */
    static List<String> keys(Context ctx) {
        return ctx.queryParams("keys").stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
    }

    /** {@code GET /api/runs}: filter, sort, limit (default 50), offset, experiment, q. */
    static RunQuery runQuery(Context ctx) {
        return new RunQuery(ctx.queryParam("filter"), ctx.queryParam("sort"), integer(ctx, "limit", 50),
                integer(ctx, "offset", 0), ctx.queryParam("q"), blankToNull(ctx.queryParam("experiment")));
    }

    /**
     * The body as text. It must be UTF-8 (what JSON is, RFC 8259): a body with invalid bytes is
     * refused rather than read with replacement characters that would then be stored as a name.
     */
    static String text(Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequestException("the body is not valid UTF-8 text; JSON must be UTF-8");
        }
    }

    /** A JSON object body: exactly one object, nothing after it. */
    static JsonNode object(Context ctx) {
        String body = text(ctx);
        if (body.isBlank()) throw new BadRequestException("the request needs a JSON body");
        JsonNode node;
        try {
            node = StrictJson.read(body);
        } catch (StrictJson.MalformedJsonException e) {
            throw new BadRequestException("the body is not valid JSON: " + e.getMessage());
        }
        if (!node.isObject()) throw new BadRequestException("the body must be a JSON object");
        return node;
    }

    /** A string field of a JSON object body; null when absent. */
    static String string(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new BadRequestException("\"" + field + "\" must be a string");
        return v.textValue();
    }

    /** Refuses fields the endpoint does not know, so that a typo is not silently ignored. */
    static void onlyFields(JsonNode body, String... allowed) {
        List<String> known = List.of(allowed);
        for (var it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) throw new BadRequestException("unknown field \"" + f + "\"; allowed: " + known);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code POST /api/runs/{id}/tags} {@code {"key", "value"}}: sets the tag, answers the run's tags. */
    static Map<String, String> tag(Context ctx, RunAnnotations annotations) {
        JsonNode body = object(ctx);
        onlyFields(body, "key", "value");
        return annotations.tag(runId(ctx), string(body, "key"), string(body, "value"));
    }

    /** {@code POST /api/runs/{id}/notes} {@code {"text"}}. */
    static RunCatalog.NoteView note(Context ctx, RunAnnotations annotations) {
        JsonNode body = object(ctx);
        onlyFields(body, "text");
        return annotations.addNote(runId(ctx), string(body, "text"));
    }
}
