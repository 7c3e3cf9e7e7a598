package dev.nnlab.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A worker cut off from the cluster while it trains a run: the coordinator puts the run back and another
 * worker starts it again. The first worker, still alive and still reaching the database, goes on writing.
 * None of what it writes may land in the new attempt: not points, not its heartbeat, not its final status.
 */
class FencedWritesTest extends StoreOnEachBackend {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The other worker: another process (another owner) on the same database. */
    Store other;
    long runId;

    @Override
    Store open(StoreLocation location) {
        return location.open(new Store.Options(Owner.current(), Duration.ofMinutes(10), Clock.fixed(T0, ZoneOffset.UTC)));
    }

    @BeforeEach
    void fixture() {
        other = location.open(new Store.Options(new Owner("other-worker", 4242, 1), Duration.ofMinutes(10),
                Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC)));
        runId = StoreFixture.run(store, "fencing", Map.of()).id();
    }

    @AfterEach
    void closeOther() {
        other.close();
    }

    List<String> curve() {
        return store.metrics().series(runId, "train_loss").stream().map(p -> p.step() + "=" + p.value()).toList();
    }

    @Test
    void a_run_started_again_elsewhere_keeps_only_the_new_attempts_points_heartbeat_and_status() {
        OwnedRuns.Hold first = store.ownedRuns().hold(runId);
        store.runs().markRunning(runId);
        try (MetricWriter w = store.newMetricWriter()) {
            for (int step = 0; step < 5; step++) w.metric(runId, "train_loss", step, 0, 1.0);
            w.flush();
            assertThat(w.fencedItems()).isZero();

            // The coordinator lost the first worker: it puts the run back; the other worker starts it again.
            assertThat(other.runs().requeue(runId)).isTrue();
            other.runs().markRunning(runId);
            try (MetricWriter w2 = other.newMetricWriter()) {
                for (int step = 0; step < 3; step++) w2.metric(runId, "train_loss", step, 0, 2.0);
                w2.flush();
            }

            // The first worker, cut off but alive, writes on: steps the new attempt has and has not reached.
            for (int step = 0; step < 10; step++) w.metric(runId, "train_loss", step, 0, 1.0);
            w.flush();
            assertThat(w.fencedItems()).isEqualTo(10);
            assertThat(w.failedItems()).as("dropped on purpose, not lost").isZero();
        }
        assertThat(curve()).containsExactly("0=2.0", "1=2.0", "2=2.0");
        assertThat(first.takenOver()).as("the first worker's training is told to stop").isTrue();

        // Its heartbeat does not make the new owner look alive; its end does not end the new attempt.
        assertThat(store.runs().heartbeat(List.of(runId))).isZero();
        assertThat(store.runs().get(runId).orElseThrow().heartbeat()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.runs().finishOwned(runId, RunStatus.FINISHED, null)).isFalse();
        first.close();
        assertThat(store.runs().get(runId).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);

        assertThat(other.runs().finishOwned(runId, RunStatus.FINISHED, null)).isTrue();
        assertThat(store.runs().get(runId).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void the_heartbeat_pulse_tells_a_held_run_it_was_taken_over_even_when_it_writes_nothing() {
        OwnedRuns.Hold first = store.ownedRuns().hold(runId);
        store.runs().markRunning(runId);
        store.ownedRuns().pulse();
        assertThat(first.takenOver()).isFalse();

        other.runs().requeue(runId);
        other.runs().markRunning(runId);
        OwnedRuns pulses = new OwnedRuns(store.runs(), Duration.ofMinutes(1));
        try (OwnedRuns.Hold again = pulses.hold(runId)) {
            pulses.pulse();   // its first pulse writes the heartbeat, and finds the run is not its own
            assertThat(again.takenOver()).isTrue();
        } finally {
            pulses.close();
            first.close();
        }
    }

    @Test
    void a_run_trained_and_ended_by_its_own_process_is_never_fenced() {
        try (OwnedRuns.Hold hold = store.ownedRuns().hold(runId); MetricWriter w = store.newMetricWriter()) {
            store.runs().markRunning(runId);
            for (int step = 0; step < 100; step++) w.metric(runId, "train_loss", step, 0, 1.0 / (step + 1));
            w.flush();
            store.ownedRuns().pulse();
            assertThat(w.fencedItems()).isZero();
            assertThat(w.writtenItems()).isEqualTo(100);
            assertThat(hold.takenOver()).isFalse();
            assertThat(store.runs().heartbeat(List.of(runId))).isEqualTo(1);
            assertThat(store.runs().finishOwned(runId, RunStatus.FINISHED, null)).isTrue();
        }
        assertThat(curve()).hasSize(100);
        assertThat(store.runs().get(runId).orElseThrow().status()).isEqualTo(RunStatus.FINISHED);
        assertThatThrownBy(() -> store.runs().finishOwned(runId, RunStatus.FAILED, "again"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is FINISHED");
    }
}
