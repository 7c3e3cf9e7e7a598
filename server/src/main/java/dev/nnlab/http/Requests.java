package dev.nnlab.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.store.RunQuery;
import io.javalin.http.Context;

import java.util.Arrays;
import java.util.List;

/** Reads what a request says (path ids, query parameters, JSON bodies) into typed values; 400 when it cannot. */
final class Requests {
    private static final ObjectMapper JSON = ApiJson.mapper();

    private Requests() {}

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

    static <T> T body(Context ctx, Class<T> type) {
        String body = ctx.body();
        if (body.isBlank()) throw new BadRequestException("the request needs a JSON body");
        try {
            T value = JSON.readValue(body, type);
            if (value == null) throw new BadRequestException("the request needs a JSON object, not null");
            return value;
        } catch (JsonProcessingException e) {
            throw new BadRequestException("the body is not the expected JSON: " + ApiErrors.jsonProblem(e));
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** {@code POST /api/runs/{id}/tags}. */
    record TagRequest(String key, String value) {}

    /** {@code POST /api/runs/{id}/notes}. */
    record NoteRequest(String text) {}
}
