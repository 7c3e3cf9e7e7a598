package dev.nnlab.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Backend;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Observation;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static dev.nnlab.http.TestServer.enc;
import static dev.nnlab.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The read side of the API over a real server and a real SQLite file:
 * <pre>
 * run        experiment  lr     hidden  val_acc (last)  status
 * lr=0.1     sweep       0.1    [128]   0.5             FINISHED
 * lr=0.01    sweep       0.01   [128]   0.9             FINISHED
 * lr=0.001   sweep       0.001  [128]   0.7             FINISHED
 * odd one    other       -      -       -               QUEUED    5,000 train_loss points with one spike, a NaN curve
 * </pre>
 */
@ParameterizedClass
@EnumSource(Backend.class)
class RunsApiTest {
    /** Which database this invocation runs on (the servers start per invocation, below). */
    @Parameter
    Backend backend;
    static final int SPIKE_AT = 2345;

    @TempDir
    static Path dir;
    static TestServer t;
    static long lr1, lr01, lr001, odd;

    @BeforeParameterizedClassInvocation
    static void start(Backend backend) {
        t = TestServer.start(backend, dir, PluginJars.builtInPlugins(), TestServer.fastOptions());
        Store store = t.wb.store();
        lr1 = run(store, "sweep", "lr=0.1", Map.of("lr", 0.1, "hidden", List.of(128)));
        lr01 = run(store, "sweep", "lr=0.01", Map.of("lr", 0.01, "hidden", List.of(128)));
        lr001 = run(store, "sweep", "lr=0.001", Map.of("lr", 0.001, "hidden", List.of(128)));
        odd = run(store, "other", "odd one", Map.of());
        double[] acc = {0.5, 0.9, 0.7};
        long[] ids = {lr1, lr01, lr001};
        List<Observation> obs = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            store.runs().markRunning(ids[r]);
            obs.add(new MetricPoint(ids[r], "val_acc", 1, 0.5, 10, 0.1));
            obs.add(new MetricPoint(ids[r], "val_acc", 2, 1.0, 20, acc[r]));
        }
        for (int i = 0; i < 5000; i++) {
            obs.add(new MetricPoint(odd, "train_loss", i, i / 1000.0, 1000 + i, i == SPIKE_AT ? 50.0 : 1.0 - i * 1e-4));
        }
        obs.add(new MetricPoint(odd, "diverged", 0, 0, 1, 2.0));
        obs.add(new MetricPoint(odd, "diverged", 1, 0, 2, Double.NaN));
        obs.add(new LayerStat(odd, 10, "dense0", "dead_fraction", 0.25));
        obs.add(new LayerStat(odd, 20, "dense0", "dead_fraction", 0.5));
        obs.add(new LayerStat(odd, 20, "dense1", "grad_norm", 3.0));
        obs.add(new RunEvent(odd, 20, RunEvent.Level.WARNING, "dead_relu", "half of dense0 is dead", "lower the lr", 77));
        obs.add(new RunEvent(odd, -1, RunEvent.Level.INFO, "note", "no step", null, 78));
        store.metrics().append(obs);
        for (long id : ids) store.runs().finish(id, RunStatus.FINISHED, null);
        store.annotations().tag(lr01, "best", "yes");
        store.annotations().addNote(lr01, "the learning rate that works");
    }

    static long run(Store store, String experiment, String name, Map<String, ?> params) {
        Experiment e = store.experiments().getOrCreate(experiment, null);
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("family", "mlp");
        Provenance p = new Provenance("mlp", "1.2.3", "0.9", "abc123", 42L, "spirals", "sha256:beef");
        return store.runs().create(new NewRun(e.id(), name, "mlp", p, config, params)).id();
    }

    @AfterParameterizedClassInvocation
    static void stop() {
        t.close();
    }

    static List<String> names(JsonNode page) {
        return StreamSupport.stream(page.get("runs").spliterator(), false).map(r -> r.get("name").asText()).toList();
    }

    @Test
    void the_run_list_is_newest_first_with_typed_params_and_metric_summaries() {
        JsonNode page = json(t.get("/api/runs"));
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(names(page)).containsExactly("odd one", "lr=0.001", "lr=0.01", "lr=0.1");
        JsonNode row = page.get("runs").get(2);
        assertThat(row.get("id").asLong()).isEqualTo(lr01);
        assertThat(row.get("experiment").asText()).isEqualTo("sweep");
        assertThat(row.get("status").asText()).isEqualTo("FINISHED");
        assertThat(row.get("params").get("lr").isNumber()).isTrue();
        assertThat(row.get("params").get("lr").asDouble()).isEqualTo(0.01);
        assertThat(row.get("params").get("hidden").get(0).asInt()).isEqualTo(128);
        JsonNode acc = row.get("metrics").get("val_acc");
        assertThat(acc.get("last").asDouble()).isEqualTo(0.9);
        assertThat(acc.get("min").asDouble()).isEqualTo(0.1);
        assertThat(acc.get("lastStep").asLong()).isEqualTo(2);
        assertThat(acc.get("count").asLong()).isEqualTo(2);
        assertThat(row.get("created").isNumber()).isTrue();
        assertThat(row.get("ended").isNumber()).isTrue();
    }

    @Test
    void the_run_list_filters_sorts_and_pages() {
        assertThat(names(json(t.get("/api/runs?filter=" + enc("params.lr < 0.05")))))
                .containsExactly("lr=0.001", "lr=0.01");
        JsonNode byAcc = json(t.get("/api/runs?sort=" + enc("metrics.val_acc desc")));
        assertThat(names(byAcc)).containsExactly("lr=0.01", "lr=0.001", "lr=0.1", "odd one");
        JsonNode page = json(t.get("/api/runs?sort=" + enc("metrics.val_acc desc") + "&limit=2&offset=1"));
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(names(page)).containsExactly("lr=0.001", "lr=0.1");
        assertThat(names(json(t.get("/api/runs?sort=" + enc("params.lr asc") + "&experiment=sweep"))))
                .containsExactly("lr=0.001", "lr=0.01", "lr=0.1");
        JsonNode text = json(t.get("/api/runs?q=ODD"));
        assertThat(text.get("total").asLong()).isEqualTo(1);
        assertThat(names(text)).containsExactly("odd one");
        assertThat(names(json(t.get("/api/runs?q=queued")))).containsExactly("odd one");
    }

    @Test
    void a_bad_filter_is_a_400_naming_the_position() {
        HttpResponse<String> r = t.get("/api/runs?filter=" + enc("params.lr < 0.01 and and"));
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode e = json(r);
        assertThat(e.get("error").asText()).isEqualTo("bad_request");
        assertThat(e.get("message").asText()).contains("position 21");
        assertThat(e.get("position").asInt()).isEqualTo(21);
        assertThat(t.get("/api/runs?sort=" + enc("metrics.x sideways")).statusCode()).isEqualTo(400);
        assertThat(t.get("/api/runs?limit=abc").statusCode()).isEqualTo(400);
        assertThat(t.get("/api/runs?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void run_detail_carries_provenance_config_tags_and_notes() {
        JsonNode run = json(t.get("/api/runs/" + lr01));
        assertThat(run.get("name").asText()).isEqualTo("lr=0.01");
        assertThat(run.get("metrics").get("val_acc").get("last").asDouble()).isEqualTo(0.9);
        JsonNode p = run.get("provenance");
        assertThat(p.get("pluginId").asText()).isEqualTo("mlp");
        assertThat(p.get("pluginVersion").asText()).isEqualTo("1.2.3");
        assertThat(p.get("nnlabVersion").asText()).isEqualTo("0.9");
        assertThat(p.get("gitCommit").asText()).isEqualTo("abc123");
        assertThat(p.get("seed").asLong()).isEqualTo(42);
        assertThat(p.get("dataset").asText()).isEqualTo("spirals");
        assertThat(p.get("datasetChecksum").asText()).isEqualTo("sha256:beef");
        assertThat(run.get("config").get("family").asText()).isEqualTo("mlp");
        assertThat(run.get("tags").get("best").asText()).isEqualTo("yes");
        assertThat(run.get("notes").get(0).get("text").asText()).isEqualTo("the learning rate that works");
        assertThat(run.get("notes").get(0).get("created").isNumber()).isTrue();
    }

    @Test
    void an_unknown_run_and_an_unknown_path_are_json_404s() {
        HttpResponse<String> r = t.get("/api/runs/987654");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").asText()).isEqualTo("not_found");
        assertThat(t.get("/api/runs/987654/metrics").statusCode()).isEqualTo(404);
        assertThat(t.get("/api/runs/987654/metrics.csv").statusCode()).isEqualTo(404);
        assertThat(t.get("/api/runs/987654/layers").statusCode()).isEqualTo(404);
        HttpResponse<String> path = t.get("/api/no/such/thing");
        assertThat(path.statusCode()).isEqualTo(404);
        assertThat(json(path).get("error").asText()).isEqualTo("not_found");
        assertThat(path.body()).doesNotContain("Exception").doesNotContain("at dev.");
        assertThat(t.get("/api/runs/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void metrics_are_bucketed_to_max_points_keeping_the_spike_and_the_last_value() {
        JsonNode s = json(t.get("/api/runs/" + odd + "/metrics?keys=train_loss&maxPoints=100")).get("series").get("train_loss");
        assertThat(s.get("total").asLong()).isEqualTo(5000);
        assertThat(s.get("bucketed").asBoolean()).isTrue();
        JsonNode points = s.get("points");
        assertThat(points.size()).isLessThanOrEqualTo(100).isEqualTo(100);
        // 50 consecutive points per bucket: bucket b ends at step 50b + 49 and reports that point.
        assertThat(points.get(0).get("step").asLong()).isEqualTo(49);
        assertThat(points.get(0).get("value").asDouble()).isCloseTo(1.0 - 49e-4, within(1e-12));
        assertThat(points.get(0).get("min").asDouble()).isCloseTo(1.0 - 49e-4, within(1e-12));
        assertThat(points.get(0).get("max").asDouble()).isEqualTo(1.0);
        JsonNode last = points.get(99);
        assertThat(last.get("step").asLong()).isEqualTo(4999);
        assertThat(last.get("value").asDouble()).isCloseTo(1.0 - 4999e-4, within(1e-12));
        assertThat(last.get("epoch").asDouble()).isEqualTo(4.999);
        assertThat(last.get("wallTime").asLong()).isEqualTo(5999);
        JsonNode spike = points.get(SPIKE_AT / 50);
        assertThat(spike.get("max").asDouble()).isEqualTo(50.0);
        assertThat(spike.get("value").asDouble()).isLessThan(1.0);
        double highest = 0;
        for (JsonNode p : points) if (p != spike) highest = Math.max(highest, p.get("max").asDouble());
        assertThat(highest).isEqualTo(1.0);
    }

    @Test
    void raw_metrics_return_every_point_and_nan_is_null() {
        JsonNode series = json(t.get("/api/runs/" + odd + "/metrics?raw=true&maxPoints=10")).get("series");
        JsonNode loss = series.get("train_loss");
        assertThat(loss.get("points").size()).isEqualTo(5000);
        assertThat(loss.get("bucketed").asBoolean()).isFalse();
        JsonNode spike = loss.get("points").get(SPIKE_AT);
        assertThat(spike.get("value").asDouble()).isEqualTo(50.0);
        assertThat(spike.get("min").asDouble()).isEqualTo(50.0);
        JsonNode diverged = series.get("diverged").get("points");
        assertThat(diverged.get(1).get("value").isNull()).isTrue();
        assertThat(diverged.get(1).get("min").isNull()).isTrue();
        assertThat(diverged.get(0).get("value").asDouble()).isEqualTo(2.0);
        assertThat(t.get("/api/runs/" + odd + "/metrics?maxPoints=0").statusCode()).isEqualTo(400);
        assertThat(json(t.get("/api/runs/" + odd + "/metrics?keys=nope")).get("series").get("nope").get("total").asLong())
                .isZero();
    }

    @Test
    void the_csv_holds_every_point_at_full_resolution() {
        HttpResponse<String> r = t.get("/api/runs/" + odd + "/metrics.csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        List<String> lines = r.body().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("run_id,key,step,epoch,wall_time,value");
        assertThat(lines).hasSize(1 + 2 + 5000);
        assertThat(lines).contains(odd + ",train_loss," + SPIKE_AT + ",2.345," + (1000 + SPIKE_AT) + ",50.0");
        assertThat(lines).contains(odd + ",diverged,1,0.0,2,NaN");
    }

    @Test
    void layers_give_the_latest_value_and_every_series() {
        JsonNode l = json(t.get("/api/runs/" + odd + "/layers"));
        assertThat(l.get("latest")).hasSize(2);
        assertThat(l.get("latest").get(0).get("layer").asText()).isEqualTo("dense0");
        assertThat(l.get("latest").get(0).get("step").asLong()).isEqualTo(20);
        assertThat(l.get("latest").get(0).get("value").asDouble()).isEqualTo(0.5);
        JsonNode dead = l.get("series").get("dead_fraction").get("dense0");
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).get("step").asLong()).isEqualTo(10);
        assertThat(dead.get(0).get("value").asDouble()).isEqualTo(0.25);
        assertThat(l.get("series").get("grad_norm").get("dense1").get(0).get("value").asDouble()).isEqualTo(3.0);
    }

    @Test
    void events_come_in_order_with_null_for_no_step() {
        JsonNode e = json(t.get("/api/runs/" + odd + "/events"));
        assertThat(e).hasSize(2);
        assertThat(e.get(0).get("code").asText()).isEqualTo("dead_relu");
        assertThat(e.get(0).get("level").asText()).isEqualTo("WARNING");
        assertThat(e.get(0).get("hint").asText()).isEqualTo("lower the lr");
        assertThat(e.get(0).get("step").asLong()).isEqualTo(20);
        assertThat(e.get(0).get("wallTime").asLong()).isEqualTo(77);
        assertThat(e.get(1).get("step").isNull()).isTrue();
    }

    @Test
    void experiments_list_their_run_counts() {
        JsonNode ex = json(t.get("/api/experiments"));
        Map<String, Long> counts = new java.util.HashMap<>();
        for (JsonNode e : ex) counts.put(e.get("name").asText(), e.get("runCount").asLong());
        assertThat(counts).containsEntry("sweep", 3L).containsEntry("other", 1L);
    }

    @Test
    void plugins_and_datasets_describe_the_installation() {
        JsonNode p = json(t.get("/api/plugins"));
        JsonNode mlp = StreamSupport.stream(p.get("families").spliterator(), false)
                .filter(f -> f.get("id").asText().equals("mlp")).findFirst().orElseThrow();
        assertThat(mlp.get("jar").asText()).isEqualTo("nnlab-mlp.jar");
        JsonNode lr = StreamSupport.stream(mlp.get("params").spliterator(), false)
                .filter(x -> x.get("name").asText().equals("lr")).findFirst().orElseThrow();
        assertThat(lr.get("type").asText()).isEqualTo("float");
        assertThat(lr.get("minInclusive").asBoolean()).isFalse();
        assertThat(lr.get("allowed").asText()).contains("> 0");
        assertThat(lr.has("default")).isTrue();
        JsonNode d = json(t.get("/api/datasets"));
        JsonNode spirals = StreamSupport.stream(d.spliterator(), false)
                .filter(x -> x.get("name").asText().equals("spirals")).findFirst().orElseThrow();
        assertThat(spirals.get("available").asBoolean()).isTrue();
        assertThat(spirals.get("kinds").toString()).isEqualTo("[\"VECTOR\"]");
        JsonNode ptb = StreamSupport.stream(d.spliterator(), false)
                .filter(x -> x.get("name").asText().equals("ptb")).findFirst().orElseThrow();
        assertThat(ptb.get("kinds").toString()).isEqualTo("[\"TOKEN_STREAM\",\"TEXT_CORPUS\"]");
    }

    @Test
    void the_ui_and_chart_js_are_served_at_the_root() {
        HttpResponse<String> root = t.get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type").orElseThrow()).contains("text/html");
        HttpResponse<String> chart = t.get("/webjars/chart.js/4.5.1/dist/chart.umd.js");
        assertThat(chart.statusCode()).isEqualTo(200);
        assertThat(chart.body()).contains("Chart.js v4.5.1");
    }

    @Test
    void a_body_over_the_limit_is_a_413() {
        String huge = "{\"name\":\"" + "x".repeat((int) ApiServer.MAX_BODY_BYTES + 10) + "\"}";
        HttpResponse<String> r = t.post("/api/runs", huge);
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(json(r).get("error").asText()).isEqualTo("too_large");
    }
}
