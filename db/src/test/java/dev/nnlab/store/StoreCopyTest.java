package dev.nnlab.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ./nnlab db migrate}: a local SQLite store copied into PostgreSQL, whole, and again harmlessly. */
class StoreCopyTest {

    @TempDir
    Path dir;

    @Test
    void everything_the_store_holds_arrives_with_its_ids_and_a_second_copy_adds_nothing() throws Exception {
        StoreLocation from = StoreLocation.sqlite(dir.resolve("local/nnlab.db"));
        StoreLocation to = TestPostgres.shared().newLocation(dir.resolve("shared-artifacts"));
        ObjectMapper json = new ObjectMapper();
        long first;
        long second;
        try (Store s = from.open()) {
            Experiment e = s.experiments().create("sweep", json.readTree("{\"trials\": 2}"));
            first = StoreFixture.run(s, "sweep", "a", Map.of("lr", 0.1, "act", "relu")).id();
            second = StoreFixture.run(s, "sweep", "b", Map.of("lr", 0.01)).id();
            s.runs().delete(StoreFixture.run(s, "sweep", "deleted", Map.of()).id()); // leaves a gap in the ids
            s.runs().markRunning(first);
            List<Observation> obs = new ArrayList<>();
            for (int step = 0; step < 6_000; step++) obs.add(new MetricPoint(first, "loss", step, step / 1000.0, 5 + step, 1.0 / (step + 1)));
            obs.add(new MetricPoint(first, "loss_nan", 1, 0, 7, Double.NaN));
            obs.add(new LayerStat(first, 10, "dense1", "grad_norm", 0.5));
            obs.add(new LayerStat(second, 10, "dense1", "grad_norm", 0.25));
            obs.add(new RunEvent(first, 3, RunEvent.Level.WARNING, "dead_relu", "40% dead", "lower lr", 9));
            s.metrics().append(obs);
            s.runs().finish(first, RunStatus.FINISHED, null);
            s.annotations().tag(first, "best", "yes");
            s.annotations().addNote(second, "try a wider layer");
            s.artifacts().put(first, "weights.bin", "application/octet-stream", new byte[]{1, 2, 3});
            s.verdicts().record(e.id(), "HELD", json.readTree("{\"claim\": \"x\"}"), json.readTree("[]"), List.of(first, second));
        }

        List<String> lines = new ArrayList<>();
        StoreCopy.Report report = StoreCopy.copy(from, to, lines::add);
        assertThat(report.table("runs").inserted()).isEqualTo(2);
        assertThat(report.table("metric_points").inserted()).isEqualTo(6_001);
        assertThat(report.table("layer_stats").inserted()).isEqualTo(2);
        assertThat(report.filesCopied()).isEqualTo(1);
        assertThat(lines).hasSize(12).anyMatch(l -> l.startsWith("metric_points") && l.contains("6,001 copied"));

        try (Store a = from.open(); Store b = to.open()) {
            assertThat(b.runs().list(RunQuery.all())).isEqualTo(a.runs().list(RunQuery.all()));
            for (long run : List.of(first, second)) {
                assertThat(b.runs().params(run)).isEqualTo(a.runs().params(run));
                assertThat(b.metrics().summaries(run)).isEqualTo(a.metrics().summaries(run));
                assertThat(b.layerStats().all(run)).isEqualTo(a.layerStats().all(run));
                assertThat(b.events().list(run)).isEqualTo(a.events().list(run));
                assertThat(b.annotations().tags(run)).isEqualTo(a.annotations().tags(run));
                assertThat(b.annotations().notes(run)).isEqualTo(a.annotations().notes(run));
                assertThat(b.artifacts().list(run)).isEqualTo(a.artifacts().list(run));
            }
            assertThat(b.metrics().series(first, "loss")).isEqualTo(a.metrics().series(first, "loss"));
            assertThat(b.metrics().series(first, "loss_nan").getFirst().value()).isNaN();
            assertThat(b.experiments().list()).isEqualTo(a.experiments().list());
            long experiment = a.experiments().findByName("sweep").orElseThrow().id();
            assertThat(b.verdicts().list(experiment)).isEqualTo(a.verdicts().list(experiment));
            assertThat(Files.readAllBytes(b.artifacts().file(b.artifacts().get(first, "weights.bin").orElseThrow())))
                    .containsExactly(1, 2, 3);
        }

        StoreCopy.Report again = StoreCopy.copy(from, to, l -> { });
        assertThat(again.tables()).allSatisfy(c -> assertThat(c.inserted()).as(c.table()).isZero());
        assertThat(again.filesCopied()).isZero();
        assertThat(again.filesPresent()).isEqualTo(1);
        try (Store b = to.open()) {
            assertThat(b.metrics().summaries(first).getFirst().count()).isEqualTo(6_000);
            // New ids follow the copied ones (the deleted run's id included), never reuse them.
            assertThat(StoreFixture.run(b, "sweep", "c", Map.of()).id()).isGreaterThan(second + 1);
        }
    }

    @Test
    void a_target_holding_other_runs_under_the_same_ids_is_refused_before_anything_is_written() throws Exception {
        StoreLocation from = StoreLocation.sqlite(dir.resolve("a.db"));
        StoreLocation to = TestPostgres.shared().newLocation(dir.resolve("b-artifacts"));
        try (Store s = from.open()) {
            StoreFixture.run(s, "sweep", "mine", Map.of());
        }
        try (Store s = to.open()) {
            StoreFixture.run(s, "sweep", "someone else's", Map.of());
        }
        assertThatThrownBy(() -> StoreCopy.copy(from, to, l -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("different run with id 1")
                .hasMessageContaining("empty store");
        assertThatThrownBy(() -> StoreCopy.copy(from, from, l -> { })).hasMessageContaining("same store");
    }
}
