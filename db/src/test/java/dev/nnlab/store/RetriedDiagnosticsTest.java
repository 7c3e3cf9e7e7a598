package dev.nnlab.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Layer statistics and events written again (a retried batch) are stored once, like metric points. */
class RetriedDiagnosticsTest extends StoreOnEachBackend {

    long runId;

    @BeforeEach
    void fixture() {
        runId = StoreFixture.run(store, "diagnostics", Map.of()).id();
        store.runs().markRunning(runId);
    }

    @Test
    void a_batch_of_layer_statistics_and_events_sent_again_stores_nothing_twice() {
        List<Observation> batch = List.of(
                new LayerStat(runId, 100, "dense1", "grad_norm", 0.5),
                new LayerStat(runId, 100, "dense1", "dead_relu_fraction", 0.1),
                new LayerStat(runId, 200, "dense1", "grad_norm", 0.4),
                new RunEvent(runId, 100, RunEvent.Level.WARNING, "dead_relu", "40% of dense1 is dead", "lower lr", 1000),
                // Same step and code, another layer: a different event, kept.
                new RunEvent(runId, 100, RunEvent.Level.WARNING, "dead_relu", "35% of dense2 is dead", "lower lr", 1000),
                new RunEvent(runId, -1, RunEvent.Level.INFO, "note", "about the whole run", null, 1001));
        store.metrics().append(batch);
        // The retry, once directly and once through the batched writer; a statistic re-sent with
        // another value does not replace the first.
        store.metrics().append(batch);
        try (MetricWriter w = store.newMetricWriter()) {
            batch.forEach(w::write);
            w.layerStat(runId, 100, "dense1", "grad_norm", 9.9);
        }

        assertThat(store.layerStats().all(runId)).containsExactly(
                new LayerStat(runId, 100, "dense1", "dead_relu_fraction", 0.1),
                new LayerStat(runId, 100, "dense1", "grad_norm", 0.5),
                new LayerStat(runId, 200, "dense1", "grad_norm", 0.4));
        assertThat(store.events().list(runId)).containsExactly(
                (RunEvent) batch.get(3), (RunEvent) batch.get(4), (RunEvent) batch.get(5));
    }

    @Test
    void the_same_warning_at_another_time_or_step_is_a_new_event() {
        store.metrics().append(List.of(
                new RunEvent(runId, 5, RunEvent.Level.WARNING, "exploding", "loss 1e9", null, 10),
                new RunEvent(runId, 6, RunEvent.Level.WARNING, "exploding", "loss 1e9", null, 10),
                new RunEvent(runId, 5, RunEvent.Level.WARNING, "exploding", "loss 1e9", null, 11)));
        assertThat(store.events().list(runId)).hasSize(3);
    }
}
