package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Backend;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/live}: points written by ANOTHER store (as a CLI batch in another process writes them)
 * reach an open event stream, because the server watches the database itself.
 */
@ParameterizedClass
@EnumSource(Backend.class)
class LiveApiTest {
    /** Which database this invocation runs on (the servers start per invocation, below). */
    @Parameter
    Backend backend;
    @TempDir
    static Path dir;
    static TestServer t;

    record Event(String name, JsonNode data) {}

    @BeforeParameterizedClassInvocation
    static void start(Backend backend) {
        t = TestServer.start(backend, dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        t.close();
    }

    /** Opens the stream; events (and the opening comment, as a null-named event) arrive on the returned queue. */
    static BlockingQueue<Event> open(String accept, Stream<String>[] holder) throws Exception {
        BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        HttpRequest req = t.request("/api/live").header("Accept", accept).GET().build();
        HttpResponse<Stream<String>> r = t.http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        holder[0] = r.body();
        Thread.ofVirtual().start(() -> {
            String name = null;
            try {
                for (String line : (Iterable<String>) r.body()::iterator) {
                    if (line.startsWith(":")) events.add(new Event(null, null));
                    else if (line.startsWith("event:")) name = line.substring(6).strip();
                    else if (line.startsWith("data:")) events.add(new Event(name, TestServer.JSON.readTree(line.substring(5))));
                }
            } catch (Exception ignored) {
                // The stream was closed by the test.
            }
        });
        return events;
    }

    static Event next(BlockingQueue<Event> q, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Event e = q.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && name.equals(e.name())) return e;
        }
        throw new AssertionError("no '" + name + "' event within 10 s");
    }

    @Test
    @SuppressWarnings("unchecked")
    void points_written_by_another_store_arrive_as_points_events() throws Exception {
        Stream<String>[] body = new Stream[1];
        BlockingQueue<Event> events = open("text/event-stream", body);
        assertThat(events.poll(10, TimeUnit.SECONDS)).as("the opening comment").isNotNull();

        try (Store cli = t.location.open(); MetricWriter w = cli.newMetricWriter()) {
            long exp = cli.experiments().getOrCreate("terminal-batch", null).id();
            long id = cli.runs().create(new NewRun(exp, "lr=0.1", "mlp", null, null, Map.of())).id();
            cli.runs().markRunning(id);
            for (int step = 1; step <= 3; step++) w.metric(id, "train_loss", step, step / 10.0, 1.0 / step);
            w.flush();

            Event run = next(events, "run");
            assertThat(run.data().get("id").asLong()).isEqualTo(id);
            assertThat(run.data().get("status").asText()).isIn("QUEUED", "RUNNING");
            assertThat(run.data().get("name").asText()).isEqualTo("lr=0.1");
            assertThat(run.data().get("experimentId").asLong()).isEqualTo(exp);

            Event points = next(events, "points");
            assertThat(points.data().get("runId").asLong()).isEqualTo(id);
            assertThat(points.data().get("key").asText()).isEqualTo("train_loss");
            List<Long> steps = new java.util.ArrayList<>();
            points.data().get("points").forEach(p -> steps.add(p.get("step").asLong()));
            assertThat(steps).containsExactly(1L, 2L, 3L);
            assertThat(points.data().get("points").get(1).get("value").asDouble()).isEqualTo(0.5);
            assertThat(points.data().get("points").get(1).get("epoch").asDouble()).isEqualTo(0.2);

            w.metric(id, "train_loss", 4, 0.4, Double.NaN);
            w.flush();
            Event more = next(events, "points");
            assertThat(more.data().get("points")).hasSize(1);
            assertThat(more.data().get("points").get(0).get("step").asLong()).isEqualTo(4);
            assertThat(more.data().get("points").get(0).get("value").isNull()).isTrue();

            cli.runs().finish(id, RunStatus.FINISHED, null);
            Event ended = next(events, "run");
            assertThat(ended.data().get("status").asText()).isEqualTo("FINISHED");
        } finally {
            body[0].close();
        }
    }

    @Test
    void the_stream_needs_the_event_stream_accept_header() {
        var r = t.get("/api/live");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(TestServer.json(r).get("message").asText()).contains("text/event-stream");
    }
}
