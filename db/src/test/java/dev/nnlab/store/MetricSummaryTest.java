package dev.nnlab.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricSummaryTest extends StoreOnEachBackend {

    long runId;

    @BeforeEach
    void fixture() {
        runId = StoreFixture.run(store, "curves", Map.of()).id();
        store.runs().markRunning(runId);
    }

    @Test
    void summary_of_a_parabola_has_its_vertex_as_min_and_its_ends_as_max_and_last() {
        // v(step) = (step - 50)^2 for steps 0..99: min 0 at 50, max 2500 at step 0, last 49^2 = 2401.
        List<MetricPoint> points = new ArrayList<>();
        for (int step = 0; step < 100; step++) points.add(new MetricPoint(runId, "loss", step, step / 10, 0, (step - 50.0) * (step - 50.0)));
        store.metrics().append(points);

        assertThat(store.metrics().summaries(runId)).containsExactly(
                new MetricSummary(runId, "loss", 2401, 99, 0, 2500, 100));
        List<MetricPoint> series = store.metrics().series(runId, "loss");
        assertThat(series).hasSize(100);
        assertThat(series.get(7)).isEqualTo(new MetricPoint(runId, "loss", 7, 0, 0, 1849));
    }

    @Test
    void summaries_merge_across_several_flushes_and_a_late_smaller_step_is_not_last() {
        try (MetricWriter writer = store.newMetricWriter(1000, Duration.ofMillis(20))) {
            // Even steps, so that a late point can arrive at an odd step never seen.
            for (int step = 0; step < 10; step++) writer.metric(runId, "val_acc", 2 * step, 0, 0.5 + step * 0.01);
            writer.flush();
            assertThat(store.metrics().summaries(runId)).containsExactly(
                    new MetricSummary(runId, "val_acc", 0.59, 18, 0.5, 0.59, 10));

            for (int step = 10; step < 20; step++) writer.metric(runId, "val_acc", 2 * step, 1, 0.8 - step * 0.01);
            writer.flush();
            // steps 10..19 give 0.70 down to 0.61: max 0.70 now, min still 0.50, last is step 19.
            MetricSummary second = store.metrics().summaries(runId).getFirst();
            assertThat(second.last()).isCloseTo(0.61, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(second.max()).isCloseTo(0.70, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(second.min()).isEqualTo(0.5);
            assertThat(second.count()).isEqualTo(20);

            writer.metric(runId, "val_acc", 3, 0, 0.1);
            writer.flush();
        }
        MetricSummary third = store.metrics().summaries(runId).getFirst();
        assertThat(third.lastStep()).isEqualTo(38);
        assertThat(third.last()).isCloseTo(0.61, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(third.min()).isEqualTo(0.1);
        assertThat(third.count()).isEqualTo(21);
    }

    @Test
    void a_batch_sent_again_stores_nothing_twice_and_leaves_the_summary_as_it_was() {
        List<MetricPoint> batch = List.of(new MetricPoint(runId, "loss", 1, 0, 10, 0.9),
                new MetricPoint(runId, "loss", 2, 0, 11, 0.7), new MetricPoint(runId, "acc", 2, 0, 11, 0.4));
        store.metrics().append(batch);
        MetricSummary before = store.metrics().summaries(runId).getLast();
        // The same keys again, one with another value (a worker retrying after a lost acknowledgement
        // re-sends what it had): the first write stands, nothing is counted twice.
        store.metrics().append(List.of(batch.get(0), new MetricPoint(runId, "loss", 2, 0, 12, 0.1), batch.get(2)));
        try (MetricWriter writer = store.newMetricWriter()) {
            batch.forEach(writer::write);
        }
        assertThat(store.metrics().series(runId, "loss")).extracting(MetricPoint::value).containsExactly(0.9, 0.7);
        assertThat(store.metrics().summaries(runId).getLast()).isEqualTo(before)
                .isEqualTo(new MetricSummary(runId, "loss", 0.7, 2, 0.7, 0.9, 2));
        assertThat(store.metrics().summaries(runId).getFirst().count()).isEqualTo(1);
    }

    @Test
    void nan_is_stored_and_read_back_as_nan_and_min_max_skip_it() {
        store.metrics().append(List.of(new MetricPoint(runId, "loss", 0, 0, 0, Double.NaN)));
        assertThat(store.metrics().summaries(runId).getFirst())
                .isEqualTo(new MetricSummary(runId, "loss", Double.NaN, 0, Double.NaN, Double.NaN, 1));

        store.metrics().append(List.of(
                new MetricPoint(runId, "loss", 1, 0, 0, 2.0),
                new MetricPoint(runId, "loss", 2, 0, 0, Double.NaN)));
        assertThat(store.metrics().summaries(runId).getFirst())
                .isEqualTo(new MetricSummary(runId, "loss", Double.NaN, 2, 2.0, 2.0, 3));
        assertThat(store.metrics().series(runId, "loss")).extracting(MetricPoint::value)
                .containsExactly(Double.NaN, 2.0, Double.NaN);
    }

    @Test
    void latest_layer_statistics_are_the_last_step_of_every_layer_and_stat() {
        List<Observation> obs = new ArrayList<>();
        for (int step = 0; step <= 300; step += 100) {
            obs.add(new LayerStat(runId, step, "dense1", "dead_relu_fraction", step / 1000.0));
            obs.add(new LayerStat(runId, step, "dense1", "grad_norm", 1.0 / (step + 1)));
        }
        obs.add(new LayerStat(runId, 200, "dense2", "dead_relu_fraction", 0.25));
        store.metrics().append(obs);

        assertThat(store.layerStats().latest(runId)).containsExactly(
                new LayerStat(runId, 300, "dense1", "dead_relu_fraction", 0.3),
                new LayerStat(runId, 300, "dense1", "grad_norm", 1.0 / 301),
                new LayerStat(runId, 200, "dense2", "dead_relu_fraction", 0.25));
        assertThat(store.layerStats().series(runId, "dense1", "dead_relu_fraction"))
                .extracting(LayerStat::step, LayerStat::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0.0), org.assertj.core.groups.Tuple.tuple(100L, 0.1),
                        org.assertj.core.groups.Tuple.tuple(200L, 0.2), org.assertj.core.groups.Tuple.tuple(300L, 0.3));
    }

    @Test
    void events_come_back_in_order_with_their_hints() {
        store.metrics().append(List.of(
                new RunEvent(runId, -1, RunEvent.Level.INFO, "started", "training started", null, 10),
                new RunEvent(runId, 500, RunEvent.Level.WARNING, "dead_relu", "62% of dense1 is dead",
                        "lower the learning rate or use LeakyReLU", 20)));
        assertThat(store.events().list(runId)).containsExactly(
                new RunEvent(runId, -1, RunEvent.Level.INFO, "started", "training started", null, 10),
                new RunEvent(runId, 500, RunEvent.Level.WARNING, "dead_relu", "62% of dense1 is dead",
                        "lower the learning rate or use LeakyReLU", 20));
    }

    @Test
    void summaries_of_a_page_of_runs_come_in_one_query() {
        long other = StoreFixture.run(store, "other", Map.of()).id();
        store.metrics().append(List.of(
                new MetricPoint(runId, "loss", 1, 0, 0, 1.5),
                new MetricPoint(other, "loss", 1, 0, 0, 0.5),
                new MetricPoint(other, "acc", 1, 0, 0, 0.9)));
        Map<Long, List<MetricSummary>> page = store.metrics().summaries(List.of(runId, other));
        assertThat(page.get(runId)).extracting(MetricSummary::key).containsExactly("loss");
        assertThat(page.get(other)).extracting(MetricSummary::key, MetricSummary::last)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acc", 0.9), org.assertj.core.groups.Tuple.tuple("loss", 0.5));
    }
}
