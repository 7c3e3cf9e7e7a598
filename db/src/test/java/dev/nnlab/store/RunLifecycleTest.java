package dev.nnlab.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunLifecycleTest extends StoreOnEachBackend {

    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05Z");

    /** A fixed clock, so that times written by the store can be asserted exactly. */
    @Override
    Store open(StoreLocation location) {
        return location.open(new Store.Options(Owner.current(), Duration.ofMinutes(10), Clock.fixed(T0, ZoneOffset.UTC)));
    }

    @Test
    void a_new_run_is_queued_with_its_provenance_config_and_owner() throws Exception {
        Experiment e = store.experiments().create("mnist-sweep", new ObjectMapper().readTree("{\"trials\": 8}"));
        Provenance p = new Provenance("mlp", "1.2.0", "0.1.0", "deadbeef", 42L, "mnist", "md5:6bbc9ace");
        var config = new ObjectMapper().readTree("{\"optimizer\": {\"name\": \"adam\", \"lr\": 0.001}, \"hidden\": [128, 64]}");
        Run run = store.runs().create(new NewRun(e.id(), "adam-small", "mlp", p, config, Param.flatten(config)));

        assertThat(run.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(run.experimentId()).isEqualTo(e.id());
        assertThat(run.provenance()).isEqualTo(p);
        assertThat(run.config()).isEqualTo(config);
        assertThat(run.created()).isEqualTo(T0);
        assertThat(run.started()).isNull();
        assertThat(run.owner().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(store.experiments().findByName("mnist-sweep").orElseThrow().spec().get("trials").asInt()).isEqualTo(8);

        assertThat(store.runs().params(run.id())).containsExactly(
                new Param("hidden", "[128,64]", Param.Type.JSON, Double.NaN),
                new Param("optimizer.lr", "0.001", Param.Type.NUMBER, 0.001),
                new Param("optimizer.name", "adam", Param.Type.STRING, Double.NaN));
    }

    @Test
    void parameters_keep_their_types() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("batch", 128);
        params.put("lr", 1e-4);
        params.put("dropout", 0.1f);
        params.put("nesterov", true);
        params.put("activation", "relu");
        params.put("schedule", List.of(10, 20));
        Run run = StoreFixture.run(store, "typed", params);

        assertThat(store.runs().params(run.id())).containsExactly(
                new Param("activation", "relu", Param.Type.STRING, Double.NaN),
                new Param("batch", "128", Param.Type.NUMBER, 128),
                new Param("dropout", "0.1", Param.Type.NUMBER, 0.1f),
                new Param("lr", "0.0001", Param.Type.NUMBER, 1e-4),
                new Param("nesterov", "true", Param.Type.BOOLEAN, Double.NaN),
                new Param("schedule", "[10,20]", Param.Type.JSON, Double.NaN));
    }

    @Test
    void a_run_goes_from_queued_to_running_to_finished() {
        Run run = StoreFixture.run(store, "life", Map.of());
        store.runs().markRunning(run.id());
        Run running = store.runs().get(run.id()).orElseThrow();
        assertThat(running.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(running.started()).isEqualTo(T0);
        assertThat(running.heartbeat()).isEqualTo(T0);

        store.runs().heartbeat(run.id());
        store.runs().finish(run.id(), RunStatus.DIVERGED, "loss became NaN at step 812");
        Run done = store.runs().get(run.id()).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.DIVERGED);
        assertThat(done.ended()).isEqualTo(T0);
        assertThat(done.error()).isEqualTo("loss became NaN at step 812");
    }

    @Test
    void illegal_transitions_are_refused_and_say_why() {
        Run run = StoreFixture.run(store, "once", Map.of());
        store.runs().markRunning(run.id());
        store.runs().finish(run.id(), RunStatus.FINISHED, null);

        assertThatThrownBy(() -> store.runs().finish(run.id(), RunStatus.FAILED, "late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is FINISHED");
        assertThatThrownBy(() -> store.runs().markRunning(run.id()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not QUEUED");
        assertThatThrownBy(() -> store.runs().finish(run.id(), RunStatus.RUNNING, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.runs().markRunning(12345))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
        assertThat(store.runs().get(run.id()).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void experiments_are_created_once_by_name() {
        Experiment a = store.experiments().getOrCreate("sweep", null);
        Experiment b = store.experiments().getOrCreate("sweep", null);
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(store.experiments().list()).extracting(Experiment::name).containsExactly("sweep");
        assertThatThrownBy(() -> store.experiments().create("sweep", null)).isInstanceOf(StoreException.class);
    }

    @Test
    void tags_and_notes_are_kept_per_run() {
        Run run = StoreFixture.run(store, "annotated", Map.of());
        store.annotations().tag(run.id(), "baseline", "yes");
        store.annotations().tag(run.id(), "owner", "ana");
        store.annotations().tag(run.id(), "baseline", "no");
        assertThat(store.annotations().untag(run.id(), "owner")).isTrue();
        assertThat(store.annotations().tags(run.id())).containsExactly(Map.entry("baseline", "no"));

        store.annotations().addNote(run.id(), "lr too high, see step 300");
        store.annotations().addNote(run.id(), "rerun with warmup");
        assertThat(store.annotations().notes(run.id())).extracting(Note::body)
                .containsExactly("lr too high, see step 300", "rerun with warmup");
    }

    @Test
    void deleting_a_run_deletes_everything_recorded_for_it_and_nothing_else() throws Exception {
        Run doomed = StoreFixture.run(store, "doomed", Map.of("lr", 0.1));
        Run kept = StoreFixture.run(store, "kept", Map.of("lr", 0.2));
        for (Run r : List.of(doomed, kept)) {
            store.runs().markRunning(r.id());
            store.metrics().append(List.of(
                    new MetricPoint(r.id(), "loss", 1, 0, 0, 0.5),
                    new LayerStat(r.id(), 1, "dense1", "dead_relu_fraction", 0.1),
                    new RunEvent(r.id(), 1, RunEvent.Level.WARNING, "dead_relu", "10% dead", null, 0)));
            store.annotations().tag(r.id(), "k", "v");
            store.annotations().addNote(r.id(), "note");
            store.artifacts().put(r.id(), "a.bin", "application/octet-stream", new byte[]{1});
        }

        assertThat(store.runs().delete(doomed.id())).isTrue();
        assertThat(store.runs().delete(doomed.id())).isFalse();

        for (String table : List.of("params", "metric_points", "metric_summaries", "layer_stats", "events", "tags",
                "notes", "artifacts")) {
            assertThat(Backend.queryLongs(location, "SELECT run_id FROM " + table))
                    .as(table).containsExactly(kept.id());
        }
        assertThat(store.runs().list(RunQuery.all())).extracting(Run::id).containsExactly(kept.id());
    }
}
