package dev.nnlab.http;

import dev.nnlab.runs.InvalidInputException;
import dev.nnlab.runs.RunConflictException;
import dev.nnlab.lessons.UnknownExperimentException;
import dev.nnlab.runs.UnknownArtifactException;
import dev.nnlab.runs.UnknownRunException;
import dev.nnlab.runs.UnknownWordException;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.store.filter.FilterSyntaxException;
import dev.nnlab.sweep.SpecException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Maps every failure to a JSON {@link ApiError} with the right status: the services' exceptions
 * (a bad spec names its JSON path, a bad filter its position), Javalin's own (413 for a body over
 * the limit), and anything else as a 500 whose details go to the server log, never to the client.
 */
final class ApiErrors {
    private static final System.Logger LOG = System.getLogger("nnlab.http");
    /** A 405's {@code Allow}: every method the API uses anywhere (server/API.md lists which path takes which). */
    private static final String API_METHODS = "GET, POST, DELETE";

    private ApiErrors() {}

    static void register(JavalinConfig cfg) {
        var r = cfg.routes;
        r.exception(SpecException.class, (e, ctx) -> send(ctx, 400, new ApiError("bad_request", e.getMessage(),
                List.of(new ApiError.FieldError(e.path(), e.detail())), null)));
        r.exception(InvalidParamException.class, (e, ctx) -> send(ctx, 400, new ApiError("bad_request", e.getMessage(),
                List.of(new ApiError.FieldError(e.path(), e.getMessage().substring(e.path().length() + 2))), null)));
        r.exception(FilterSyntaxException.class, (e, ctx) -> send(ctx, 400,
                new ApiError("bad_request", e.getMessage(), null, e.position())));
        r.exception(InvalidInputException.class, (e, ctx) -> send(ctx, 400, ApiError.of("bad_request", e.getMessage())));
        r.exception(BadRequestException.class, (e, ctx) -> send(ctx, 400, ApiError.of("bad_request", e.getMessage())));
        r.exception(UnauthorizedException.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", "Bearer");
            send(ctx, 401, ApiError.of("unauthorized", e.getMessage()));
        });
        r.exception(RefusedException.class, (e, ctx) -> send(ctx, e.status, ApiError.of(e.error, e.getMessage())));
        r.exception(UnknownRunException.class, (e, ctx) -> send(ctx, 404, ApiError.of("not_found", e.getMessage())));
        r.exception(UnknownExperimentException.class, (e, ctx) -> send(ctx, 404, ApiError.of("not_found", e.getMessage())));
        r.exception(UnknownArtifactException.class, (e, ctx) -> send(ctx, 404, ApiError.of("not_found", e.getMessage())));
        r.exception(UnknownWordException.class, (e, ctx) -> send(ctx, 404, ApiError.of("unknown_word", e.getMessage())));
        r.exception(RunConflictException.class, (e, ctx) -> send(ctx, 409, ApiError.of("conflict", e.getMessage())));
        r.exception(HttpResponseException.class, (e, ctx) -> {
            int status = e.getStatus();
            if (status == 405) ctx.header("Allow", API_METHODS);
            send(ctx, status, ApiError.of(code(status), switch (status) {
                case 413 -> "the request body is larger than the server accepts (" + ApiServer.MAX_BODY_BYTES + " bytes)";
                case 405 -> ctx.method() + " is not allowed on " + ctx.path() + " (see server/API.md)";
                default -> e.getMessage();
            }));
        });
        r.exception(Exception.class, (e, ctx) -> {
            if (clientGone(ctx)) {
                // Mid-answer (a CSV download the client abandoned): too late for a status, nothing to report.
                LOG.log(System.Logger.Level.DEBUG, ctx.method() + " " + ctx.path() + " ended early: " + e);
                return;
            }
            LOG.log(System.Logger.Level.ERROR, ctx.method() + " " + ctx.path() + " failed", e);
            send(ctx, 500, ApiError.of("internal", "internal error; the server log has the details"));
        });
        // A handler's Error (StackOverflowError...): the response, not the server, pays for it.
        cfg.router.javaLangErrorHandler((res, error) -> {
            LOG.log(System.Logger.Level.ERROR, "a request failed with " + error, error);
            try {
                res.setStatus(500);
                res.setContentType("application/json");
                res.getOutputStream().write("{\"error\":\"internal\",\"message\":\"internal error\"}"
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException | IllegalStateException ignored) {
                // The response was already committed or the client left.
            }
        });
        // Unknown paths: JSON under /api; the UI's own pages keep Javalin's plain answer.
        r.error(404, ctx -> {
            if (ctx.path().startsWith("/api") && !answered(ctx)) {
                send(ctx, 404, ApiError.of("not_found", "no such endpoint: " + ctx.method() + " " + ctx.path()
                        + " (see server/API.md)"));
            }
        });
    }

    /**
     * True when the answer has started (a CSV download the client abandoned) or the exchange is over
     * (an SSE client that left: Jetty has recycled its response, and asking it anything throws).
     */
    private static boolean clientGone(Context ctx) {
        try {
            return ctx.res().isCommitted();
        } catch (IllegalStateException recycled) {
            return true;
        }
    }

    /** 404s raised by a service already carry their JSON body; only unmatched paths have none. */
    private static boolean answered(Context ctx) {
        return ctx.resultInputStream() != null;
    }

    static void send(Context ctx, int status, ApiError body) {
        ctx.status(status).json(body);
    }

    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "conflict";
            case 413 -> "too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 431 -> "headers_too_large";
            default -> status >= 500 ? "internal" : "bad_request";
        };
    }

}
