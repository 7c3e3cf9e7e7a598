package dev.nnlab.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A trial trained again after its worker was lost: the run id keeps each point once. */
class RunRetryTest {

    @Test
    void a_requeued_run_is_queued_again_without_what_its_lost_attempt_recorded(@TempDir Path dir) {
        try (Store store = Store.open(dir.resolve("s.db")); MetricWriter w = store.newMetricWriter()) {
            Run run = StoreFixture.run(store, "lost", Map.of("lr", 0.1));
            Run other = StoreFixture.run(store, "kept", Map.of("lr", 0.2));
            store.runs().markRunning(run.id());
            store.runs().markRunning(other.id());
            for (long id : new long[] {run.id(), other.id()}) {
                w.metric(id, "train_loss", 1, 0.5, 0.9);
                w.layerStat(id, 1, "fc0", "grad_norm", 0.3);
                w.event(id, 1, RunEvent.Level.WARNING, "code", "message", null);
            }
            w.flush();

            assertThat(store.runs().requeue(run.id())).isTrue();
            Run back = store.runs().get(run.id()).orElseThrow();
            assertThat(back.status()).isEqualTo(RunStatus.QUEUED);
            assertThat(back.started()).isNull();
            assertThat(store.metrics().series(run.id(), "train_loss")).isEmpty();
            assertThat(store.metrics().summaries(run.id())).isEmpty();
            assertThat(store.layerStats().all(run.id())).isEmpty();
            assertThat(store.events().list(run.id())).isEmpty();
            assertThat(store.metrics().series(other.id(), "train_loss")).as("another run keeps its points").hasSize(1);
            assertThat(store.events().list(other.id())).hasSize(1);

            // The retry writes its points once.
            store.runs().markRunning(run.id());
            w.metric(run.id(), "train_loss", 1, 0.5, 0.9);
            w.flush();
            store.runs().finish(run.id(), RunStatus.FINISHED, null);
            assertThat(store.metrics().series(run.id(), "train_loss")).hasSize(1);
            assertThat(store.runs().requeue(run.id())).as("a finished run is never put back").isFalse();
            assertThat(store.metrics().series(run.id(), "train_loss")).hasSize(1);
        }
    }

    @Test
    void a_run_a_person_stopped_is_not_requeued_and_a_lost_one_ends_interrupted_with_its_reason(@TempDir Path dir) {
        try (Store store = Store.open(dir.resolve("s.db"))) {
            Run stopped = StoreFixture.run(store, "stopped", Map.of());
            store.runs().markRunning(stopped.id());
            store.runs().requestStop(stopped.id());
            store.runs().finish(stopped.id(), RunStatus.STOPPED, "stopped");
            assertThat(store.runs().requeue(stopped.id())).isFalse();
            assertThat(store.runs().markLost(stopped.id(), "worker left")).isFalse();
            assertThat(store.runs().get(stopped.id()).orElseThrow().status()).isEqualTo(RunStatus.STOPPED);

            Run left = StoreFixture.run(store, "left", Map.of());
            store.runs().markRunning(left.id());
            store.runs().finish(left.id(), RunStatus.STOPPED, "stopped after step 3");   // its worker stopped it on the way out
            assertThat(store.runs().markLost(left.id(), "worker [127.0.0.1]:5701 left the cluster while training it")).isTrue();
            Run lost = store.runs().get(left.id()).orElseThrow();
            assertThat(lost.status()).isEqualTo(RunStatus.INTERRUPTED);
            assertThat(lost.error()).isEqualTo("worker [127.0.0.1]:5701 left the cluster while training it");

            Run finished = StoreFixture.run(store, "finished", Map.of());
            store.runs().markRunning(finished.id());
            store.runs().finish(finished.id(), RunStatus.FINISHED, null);
            assertThat(store.runs().markLost(finished.id(), "x")).isFalse();
        }
    }
}
