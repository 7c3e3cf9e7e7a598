package dev.nnlab.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class MetricWriterTest extends StoreOnEachBackend {

    long runId;

    @BeforeEach
    void fixture() {
        runId = StoreFixture.run(store, "writer", Map.of()).id();
        store.runs().markRunning(runId);
    }

    @Test
    void a_hundred_thousand_points_are_all_stored_with_a_correct_summary() throws Exception {
        int n = 100_000;
        try (MetricWriter writer = store.newMetricWriter()) {
            for (int step = 0; step < n; step++) writer.metric(runId, "train_loss", step, step / 1000, 1.0 / (step + 1));
        }
        assertThat(Backend.queryLongs(location, "SELECT COUNT(*) FROM metric_points")).containsExactly((long) n);
        // Sum of steps 0..n-1 = n(n-1)/2: every step arrived exactly once.
        assertThat(Backend.queryLongs(location, "SELECT SUM(step) FROM metric_points"))
                .containsExactly((long) n * (n - 1) / 2);
        assertThat(store.metrics().summaries(runId)).containsExactly(
                new MetricSummary(runId, "train_loss", 1.0 / n, n - 1, 1.0 / n, 1.0, n));
    }

    @Test
    void flush_makes_every_kind_of_observation_visible() {
        try (MetricWriter writer = store.newMetricWriter(10_000, Duration.ofSeconds(30))) {
            writer.metric(runId, "loss", 1, 0, 0.7);
            writer.layerStat(runId, 1, "dense1", "dead_relu_fraction", 0.2);
            writer.event(runId, 1, RunEvent.Level.WARNING, "lr_high", "loss rose 3 steps in a row", "halve lr");
            writer.flush();
            // The interval is 30 s: only the flush can have written these.
            assertThat(store.metrics().series(runId, "loss")).extracting(MetricPoint::value).containsExactly(0.7);
            assertThat(store.layerStats().latest(runId)).extracting(LayerStat::value).containsExactly(0.2);
            assertThat(store.events().list(runId)).extracting(RunEvent::code).containsExactly("lr_high");
            assertThat(writer.writtenItems()).isEqualTo(3);
        }
    }

    @Test
    void a_failed_write_is_counted_and_does_not_cost_other_runs_their_points() {
        Logger log = Logger.getLogger(MetricWriter.class.getName());
        Level before = log.getLevel();
        log.setLevel(Level.OFF);
        try (MetricWriter writer = store.newMetricWriter(10_000, Duration.ofSeconds(30))) {
            long missingRun = 999_999;
            assertThatCode(() -> {
                writer.metric(runId, "loss", 1, 0, 0.5);
                writer.metric(missingRun, "loss", 1, 0, 0.5);
                writer.metric(runId, "loss", 2, 0, 0.4);
                writer.flush();
            }).doesNotThrowAnyException();
            assertThat(writer.failedItems()).isEqualTo(1);
            assertThat(writer.writtenItems()).isEqualTo(2);
            assertThat(writer.lastFailure()).isNotNull();
            assertThat(store.metrics().series(runId, "loss")).extracting(MetricPoint::step).containsExactly(1L, 2L);

            writer.metric(runId, "loss", 3, 0, 0.3);
            writer.flush();
            assertThat(writer.writtenItems()).isEqualTo(3);
        } finally {
            log.setLevel(before);
        }
    }

    @Test
    void closing_writes_what_is_queued_and_later_points_are_counted_as_lost() {
        MetricWriter writer = store.newMetricWriter(10_000, Duration.ofSeconds(30));
        for (int step = 0; step < 50; step++) writer.metric(runId, "loss", step, 0, step);
        writer.close();
        assertThat(store.metrics().series(runId, "loss")).hasSize(50);

        writer.metric(runId, "loss", 50, 0, 50);
        writer.flush();
        writer.close();
        assertThat(writer.failedItems()).isEqualTo(1);
        assertThat(store.metrics().series(runId, "loss")).hasSize(50);
    }

    @Test
    void reporting_refreshes_the_heartbeat_of_a_running_run() throws Exception {
        long before = Backend.queryLongs(location, "SELECT heartbeat FROM runs WHERE id = " + runId).getFirst();
        Thread.sleep(5);
        try (MetricWriter writer = store.newMetricWriter()) {
            writer.metric(runId, "loss", 1, 0, 1.0);
        }
        long after = Backend.queryLongs(location, "SELECT heartbeat FROM runs WHERE id = " + runId).getFirst();
        assertThat(after).isGreaterThan(before);
    }
}
