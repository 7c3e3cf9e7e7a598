package dev.nnlab.http;

import dev.nnlab.host.HostInventory;
import dev.nnlab.lessons.LessonService;
import dev.nnlab.runs.RunAnnotations;
import dev.nnlab.runs.RunArtifacts;
import dev.nnlab.runs.RunCatalog;
import dev.nnlab.runs.RunCurves;
import dev.nnlab.runs.RunNeighbours;
import dev.nnlab.runs.RunQueue;
import dev.nnlab.runs.SweepInsights;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static dev.nnlab.http.Requests.bool;
import static dev.nnlab.http.Requests.integer;
import static dev.nnlab.http.Requests.keys;
import static dev.nnlab.http.Requests.runId;

/**
 * Every endpoint of {@code server/API.md}, one line each: read the request, call a service, answer.
 * The services hold the logic; {@link ApiErrors} turns their exceptions into statuses.
 */
final class ApiRoutes {
    private ApiRoutes() {}

    /** The services the routes call. */
    record Services(RunCatalog catalog, RunCurves curves, RunAnnotations annotations, RunArtifacts artifacts,
                    RunQueue queue, HostInventory inventory, LiveStream live, LessonService lessons, SweepInsights sweeps) {}

    static void register(RoutesConfig r, Services s) {
        RunNeighbours neighbours = new RunNeighbours(s.artifacts());
        r.get("/api/experiments", ctx -> ctx.json(s.catalog().experiments()));
        r.get("/api/experiments/{id}/verdicts", ctx -> ctx.json(s.lessons().verdicts(Requests.experimentId(ctx))));
        r.get("/api/experiments/{id}/rungs", ctx -> ctx.json(s.sweeps().rungs(Requests.experimentId(ctx))));
        r.get("/api/experiments/{id}/importance", ctx -> ctx.json(s.sweeps().importance(Requests.experimentId(ctx),
                ctx.queryParam("metric"), ctx.queryParam("summary"))));

        r.get("/api/runs", ctx -> ctx.json(s.catalog().list(Requests.runQuery(ctx))));
        r.post("/api/runs", ctx -> ctx.status(202).json(s.queue().submit("request body", Requests.text(ctx))));
        r.get("/api/runs/{id}", ctx -> ctx.json(s.catalog().detail(runId(ctx))));
        r.delete("/api/runs/{id}", ctx -> { s.queue().delete(runId(ctx)); ctx.status(204); });
        r.post("/api/runs/{id}/stop", ctx -> ctx.status(202).json(Map.of("id", runId(ctx), "outcome", s.queue().stop(runId(ctx)))));

        r.get("/api/runs/{id}/metrics", ctx -> ctx.json(s.curves().metrics(runId(ctx), keys(ctx),
                integer(ctx, "maxPoints", 1000), bool(ctx, "raw", false))));
        r.get("/api/runs/{id}/metrics.csv", ctx -> csv(ctx, s.curves().csv(runId(ctx)), "run-" + runId(ctx) + "-metrics.csv"));
        r.get("/api/runs/{id}/layers", ctx -> ctx.json(s.curves().layers(runId(ctx))));
        r.get("/api/runs/{id}/events", ctx -> ctx.json(s.curves().events(runId(ctx))));
        r.get("/api/runs/{id}/artifacts", ctx -> ctx.json(s.artifacts().list(runId(ctx))));
        r.get("/api/runs/{id}/neighbours", ctx -> ctx.json(neighbours.nearest(runId(ctx), ctx.queryParam("word"), integer(ctx, "k", 10))));
        r.get("/api/runs/{id}/artifacts/{name}", ctx -> download(ctx, s.artifacts().download(runId(ctx), ctx.pathParam("name"))));

        r.post("/api/runs/{id}/tags", ctx -> ctx.json(Requests.tag(ctx, s.annotations())));
        r.delete("/api/runs/{id}/tags/{key}", ctx -> { s.annotations().untag(runId(ctx), ctx.pathParam("key")); ctx.status(204); });
        r.post("/api/runs/{id}/notes", ctx -> ctx.status(201).json(Requests.note(ctx, s.annotations())));

        r.get("/api/plugins", ctx -> ctx.json(s.inventory().plugins()));
        r.post("/api/plugins/reload", ctx -> ctx.json(s.inventory().reload()));
        r.get("/api/datasets", ctx -> ctx.json(s.inventory().datasets()));

        r.get("/api/live", ctx -> s.live().handle(ctx));
    }

    /**
     * An artifact's file as a download. The stream opens before any header is set, so a missing file
     * is still a JSON 404. Whatever the run stored (an HTML page, an SVG with a script), the browser
     * never renders it as part of the UI: {@code attachment}, {@code nosniff} and a sandboxing CSP;
     * an {@code <img>} of a PNG still shows, since those headers govern only navigation.
     */
    private static void download(Context ctx, RunArtifacts.Download d) throws IOException {
        try (InputStream in = d.open()) {
            ctx.contentType(d.mediaType())
                    .header("Content-Disposition", attachment(d.name()))
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "default-src 'none'; sandbox");
            in.transferTo(ctx.outputStream());
        }
    }

    /** RFC 6266: a plain-ASCII fallback name and the exact UTF-8 name (RFC 5987 encoding). */
    static String attachment(String name) {
        StringBuilder ascii = new StringBuilder();
        for (char c : name.toCharArray()) ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%' ? c : '_');
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }

    /** A download: the run was found before the first byte, so a missing run is still a JSON 404. */
    private static void csv(Context ctx, RunCurves.CsvExport export, String filename) throws IOException {
        ctx.contentType("text/csv; charset=utf-8").header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        try (Writer w = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
            export.writeTo(w);
        }
    }
}
