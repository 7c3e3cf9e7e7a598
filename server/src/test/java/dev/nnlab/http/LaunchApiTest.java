package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Owner;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static dev.nnlab.http.TestServer.is;
import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Launching, stopping and deleting runs over the API, with one worker. Besides the built-in
 * families, two test plugins: {@code sleeper} trains until it is asked to stop, {@code thrower}
 * throws from {@code train}.
 */
class LaunchApiTest {
    @TempDir
    static Path dir;
    static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.copyBuiltIns(plugins);
        PluginJars.build(plugins.resolve("sleeper.jar"), "org.example", "Sleeper", PluginJars.family("org.example", "Sleeper",
                "sleeper", "PluginApi.VERSION", """
                        sink.metric("train_loss", 0, 0, 1.0);
                        long end = System.nanoTime() + 60_000_000_000L;
                        while (!sink.stopRequested() && System.nanoTime() < end) Thread.sleep(5);
                        return TrainResult.stopped();"""), true);
        PluginJars.build(plugins.resolve("thrower.jar"), "org.example", "Thrower", PluginJars.family("org.example", "Thrower",
                "thrower", "PluginApi.VERSION", "throw new IllegalStateException(\"boom in train\");"), true);
        t = TestServer.start(dir, plugins, TestServer.fastOptions().withConcurrency(1));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    static String spec(String name, String family, String extra) {
        return """
                {"name":"%s","family":"%s","dataset":"spirals","epochs":1,"params":{"logEvery":5%s}}"""
                .formatted(name, family, extra);
    }

    List<Long> launch(String spec) {
        HttpResponse<String> r = t.post("/api/runs", spec);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        List<Long> ids = new ArrayList<>();
        json(r).get("runIds").forEach(n -> ids.add(n.asLong()));
        return ids;
    }

    String status(long id) {
        return json(t.get("/api/runs/" + id)).get("status").asText();
    }

    @Test
    void a_valid_spec_is_queued_then_trained_to_the_end_with_its_points_recorded() throws Exception {
        long blocker = launch(spec("blocker", "sleeper", "")).getFirst();
        t.awaitRun(blocker, is(RunStatus.RUNNING), 10);
        HttpResponse<String> r = t.post("/api/runs", spec("spirals-once", "mlp", ""));
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = json(r);
        assertThat(body.get("experiment").get("name").asText()).isEqualTo("spirals-once");
        assertThat(body.get("experiment").get("id").asLong()).isPositive();
        long id = body.get("runIds").get(0).asLong();
        assertThat(status(id)).isEqualTo("QUEUED");

        assertThat(t.post("/api/runs/" + blocker + "/stop", "").statusCode()).isEqualTo(202);
        List<String> seen = new ArrayList<>();
        JsonNode run;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            run = json(t.get("/api/runs/" + id));
            String s = run.get("status").asText();
            if (seen.isEmpty() || !seen.getLast().equals(s)) seen.add(s);
            Thread.sleep(10);
        } while (!run.get("status").asText().equals("FINISHED") && System.nanoTime() < deadline);
        assertThat(seen.getFirst()).isIn("QUEUED", "RUNNING");
        assertThat(seen).endsWith("FINISHED").doesNotContain("FAILED", "STOPPED");
        assertThat(seen).isSubsetOf("QUEUED", "RUNNING", "FINISHED");
        assertThat(run.get("started").isNumber()).isTrue();
        assertThat(run.get("provenance").get("dataset").asText()).isEqualTo("spirals");
        assertThat(run.get("metrics").get("train_loss").get("count").asLong()).isPositive();
        JsonNode points = json(t.get("/api/runs/" + id + "/metrics?keys=train_loss")).get("series").get("train_loss");
        assertThat(points.get("points").size()).isPositive();
        assertThat(t.awaitRun(blocker, is(RunStatus.STOPPED), 10).get("error").asText()).contains("stopped");
    }

    @Test
    void an_invalid_spec_is_a_400_naming_the_json_path_and_stores_nothing() {
        long runs = json(t.get("/api/runs")).get("total").asLong();
        int experiments = json(t.get("/api/experiments")).size();
        Map<String, String> cases = Map.of(
                spec("bad-lr", "mlp", ",\"lr\":0"), "$.params.lr",
                spec("bad-family", "nosuch", ""), "$.family",
                "{\"name\":\"g\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"grid\":{\"batchSize\":[16,0]}}", "$.grid.batchSize[1]",
                "{\"name\":\"d\",\"family\":\"mlp\",\"dataset\":\"nowhere\"}", "$.dataset",
                "{\"name\":\"k\",\"family\":\"mlp\",\"dataset\":\"markov-text\"}", "$.dataset",
                "{\"name\":\"t\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"params\":{\"trainSamples\":100000}}", "$.dataset",
                "{\"name\": ", "$");
        cases.forEach((body, path) -> {
            HttpResponse<String> r = t.post("/api/runs", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            JsonNode e = json(r);
            assertThat(e.get("error").asText()).isEqualTo("bad_request");
            assertThat(e.get("fields").get(0).get("path").asText()).as(body).isEqualTo(path);
            assertThat(e.get("fields").get(0).get("message").asText()).isNotBlank();
        });
        assertThat(json(t.get("/api/runs")).get("total").asLong()).isEqualTo(runs);
        assertThat(json(t.get("/api/experiments")).size()).isEqualTo(experiments);
    }

    @Test
    void a_queued_run_stops_at_once_and_never_starts_and_a_running_one_stops_after_its_step() throws Exception {
        long first = launch(spec("first", "sleeper", "")).getFirst();
        t.awaitRun(first, is(RunStatus.RUNNING), 10);
        long second = launch(spec("second", "sleeper", "")).getFirst();
        assertThat(status(second)).isEqualTo("QUEUED");

        HttpResponse<String> r = t.post("/api/runs/" + second + "/stop", "");
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(json(r).get("outcome").asText()).isEqualTo("STOPPED");
        JsonNode stopped = json(t.get("/api/runs/" + second));
        assertThat(stopped.get("status").asText()).isEqualTo("STOPPED");
        assertThat(stopped.get("started").isNull()).isTrue();

        assertThat(json(t.post("/api/runs/" + first + "/stop", "")).get("outcome").asText()).isEqualTo("STOPPING");
        t.awaitRun(first, is(RunStatus.STOPPED), 10);
        assertThat(status(second)).isEqualTo("STOPPED");
        assertThat(json(t.get("/api/runs/" + second)).get("started").isNull()).isTrue();
        assertThat(t.post("/api/runs/" + first + "/stop", "").statusCode()).isEqualTo(409);
        assertThat(t.post("/api/runs/424242/stop", "").statusCode()).isEqualTo(404);
    }

    @Test
    void a_running_run_cannot_be_deleted_until_stopped_and_a_deleted_run_is_gone() throws Exception {
        long running = launch(spec("doomed", "sleeper", "")).getFirst();
        t.awaitRun(running, is(RunStatus.RUNNING), 10);
        long queued = launch(spec("never", "sleeper", "")).getFirst();
        HttpResponse<String> refused = t.delete("/api/runs/" + running);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(json(refused).get("message").asText()).contains("stop it first");

        assertThat(t.delete("/api/runs/" + queued).statusCode()).isEqualTo(204);
        assertThat(t.get("/api/runs/" + queued).statusCode()).isEqualTo(404);
        t.post("/api/runs/" + running + "/stop", "");
        t.awaitRun(running, is(RunStatus.STOPPED), 10);
        assertThat(t.delete("/api/runs/" + running).statusCode()).isEqualTo(204);
        assertThat(t.get("/api/runs/" + running).statusCode()).isEqualTo(404);
        assertThat(t.get("/api/runs/" + running + "/metrics").statusCode()).isEqualTo(404);
        assertThat(t.delete("/api/runs/" + running).statusCode()).isEqualTo(404);
    }

    @Test
    void a_run_of_another_process_is_asked_to_stop_through_the_store_and_cannot_be_deleted_here() throws Exception {
        Owner other = new Owner(Owner.current().host(), ProcessHandle.current().parent().orElseThrow().pid(), 0);
        long id;
        try (Store cli = Store.open(dir.resolve("nnlab.db"), new Store.Options(other, Duration.ofMinutes(10), Clock.systemUTC()))) {
            long e = cli.experiments().getOrCreate("cli-batch", null).id();
            id = cli.runs().create(new NewRun(e, "from the terminal", "mlp", null, null, Map.of())).id();
            cli.runs().markRunning(id);
        }
        HttpResponse<String> stop = t.post("/api/runs/" + id + "/stop", "");
        assertThat(stop.statusCode()).isEqualTo(202);
        assertThat(json(stop).get("outcome").asText()).isEqualTo("STOPPING");
        assertThat(SchemaQueries.stopRequested(dir.resolve("nnlab.db"), id)).as("the flag its owner watches").isTrue();
        HttpResponse<String> delete = t.delete("/api/runs/" + id);
        assertThat(delete.statusCode()).isEqualTo(409);
        assertThat(json(delete).get("message").asText()).contains("process " + other.pid());
        assertThat(status(id)).as("until its owner stops it").isEqualTo("RUNNING");
    }

    @Test
    void a_throwing_plugin_fails_its_run_and_the_server_and_queue_carry_on() throws Exception {
        // The queue tells the serve terminal how its runs end: nobody may be watching the browser.
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) { logged.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger queueLog = Logger.getLogger("nnlab.queue");
        queueLog.addHandler(capture);
        long bad;
        try {
            bad = launch(spec("crash", "thrower", "")).getFirst();
            JsonNode failed = t.awaitRun(bad, is(RunStatus.FAILED), 20);
            assertThat(failed.get("error").asText()).contains("IllegalStateException").contains("boom in train");
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (logged.stream().noneMatch(r -> r.getMessage().startsWith("run " + bad + " FAILED")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            queueLog.removeHandler(capture);
        }
        assertThat(logged).anySatisfy(r -> {
            assertThat(r.getLevel()).isEqualTo(Level.WARNING);
            assertThat(r.getMessage()).startsWith("run " + bad + " FAILED: IllegalStateException: boom in train");
        });
        assertThat(t.get("/api/runs").statusCode()).isEqualTo(200);
        long good = launch(spec("after-crash", "mlp", "")).getFirst();
        t.awaitRun(good, is(RunStatus.FINISHED), 30);
    }

    @Test
    void tags_and_notes_are_added_and_removed() throws Exception {
        long id = launch(spec("annotated", "thrower", "")).getFirst();
        t.awaitRun(id, s -> !s.equals("QUEUED") && !s.equals("RUNNING"), 20);
        HttpResponse<String> tag = t.post("/api/runs/" + id + "/tags", "{\"key\":\"verdict\",\"value\":\"broken\"}");
        assertThat(tag.statusCode()).isEqualTo(200);
        assertThat(json(tag).get("verdict").asText()).isEqualTo("broken");
        HttpResponse<String> note = t.post("/api/runs/" + id + "/notes", "{\"text\":\"throws on purpose\"}");
        assertThat(note.statusCode()).isEqualTo(201);
        assertThat(json(note).get("text").asText()).isEqualTo("throws on purpose");
        JsonNode run = json(t.get("/api/runs/" + id));
        assertThat(run.get("tags").get("verdict").asText()).isEqualTo("broken");
        assertThat(run.get("notes").get(0).get("id").asLong()).isEqualTo(json(note).get("id").asLong());
        assertThat(t.delete("/api/runs/" + id + "/tags/verdict").statusCode()).isEqualTo(204);
        assertThat(json(t.get("/api/runs/" + id)).get("tags").size()).isZero();
        assertThat(t.post("/api/runs/" + id + "/tags", "{\"key\":\" \",\"value\":\"x\"}").statusCode()).isEqualTo(400);
        assertThat(t.post("/api/runs/" + id + "/notes", "not json").statusCode()).isEqualTo(400);
        assertThat(t.post("/api/runs/999999/notes", "{\"text\":\"x\"}").statusCode()).isEqualTo(404);
    }

    @Test
    void a_batch_larger_than_the_free_queue_is_a_409_and_stores_nothing(@TempDir Path other) throws Exception {
        Path plugins = dir.resolve("plugins");
        try (TestServer small = TestServer.start(other, plugins, TestServer.fastOptions().withQueueCapacity(2))) {
            String grid = "{\"name\":\"big\",\"family\":\"mlp\",\"dataset\":\"spirals\",\"epochs\":1,"
                    + "\"grid\":{\"batchSize\":[8,16,32]}}";
            HttpResponse<String> r = small.post("/api/runs", grid);
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(json(r).get("error").asText()).isEqualTo("conflict");
            assertThat(json(small.get("/api/runs")).get("total").asLong()).isZero();
            assertThat(json(small.get("/api/experiments")).size()).isZero();
        }
    }
}
