package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.Backend;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.StoreLocation;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * A real server on a free port over a real store (a SQLite file, or a throwaway PostgreSQL), and a {@link HttpClient} to talk to it: what
 * every API test class starts once.
 */
final class TestServer implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    final Workbench wb;
    final ApiServer server;
    /** The server's store: open it again to write as another process (a CLI batch, a worker) would. */
    StoreLocation location;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String token;

    private TestServer(Workbench wb, ApiServer server, String token) {
        this.wb = wb;
        this.server = server;
        this.token = token;
    }

    static TestServer start(Path dir, Path plugins, ApiServer.Options options) {
        return start(StoreLocation.sqlite(dir.resolve("nnlab.db")), dir, plugins, options);
    }

    /** A server over a store of {@code backend}, its files under {@code dir/BACKEND}. */
    static TestServer start(Backend backend, Path dir, Path plugins, ApiServer.Options options) {
        Path own = dir.resolve(backend.name().toLowerCase(java.util.Locale.ROOT));
        return start(backend.newLocation(own), own, plugins, options);
    }

    static TestServer start(StoreLocation db, Path dir, Path plugins, ApiServer.Options options) {
        Workbench wb = Workbench.open(db, java.util.List.of(plugins), dir.resolve("data"), "test", null);
        try {
            TestServer t = new TestServer(wb, ApiServer.start(wb, options.withPort(0)), options.token());
            t.location = db;
            return t;
        } catch (RuntimeException e) {
            wb.close();
            throw e;
        }
    }

    static ApiServer.Options fastOptions() {
        return ApiServer.Options.defaults().withLivePoll(Duration.ofMillis(100));
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) {
        return send(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE().build());
    }

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    /** Polls the run until its status satisfies {@code done}; fails after {@code seconds}. */
    JsonNode awaitRun(long id, Predicate<String> done, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        JsonNode run;
        do {
            run = json(get("/api/runs/" + id));
            if (done.test(run.path("status").asText())) return run;
            Thread.sleep(25);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + id + " stayed " + run.path("status").asText());
    }

    static Predicate<String> is(RunStatus s) {
        return s.name()::equals;
    }

    @Override
    public void close() {
        server.close();
        wb.close();
    }
}
