package dev.nnlab.runs;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.PluginJars;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.store.Owner;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import dev.nnlab.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A trial whose run is put back and started by another process while it trains (its worker was cut off
 * from the cluster, not dead): it stops on its own, and leaves the new attempt untouched.
 */
class TakenOverTrialTest {

    @Test
    void a_trial_whose_run_another_process_started_again_stops_and_records_nothing_more(@TempDir Path dir) throws Exception {
        StoreLocation location = StoreLocation.sqlite(dir.resolve("nnlab.db"));
        try (Store store = location.open();
             Store other = location.open(new Store.Options(new Owner("other-worker", 4242, 1), Duration.ofMinutes(10),
                     Clock.systemUTC()))) {
            DataCache data = new DataCache(new DatasetCatalog(dir.resolve("data")));
            BatchService batches = new BatchService(store, PluginRegistry.load(PluginJars.builtInPlugins()), data, "test", null);
            String spec = """
                    {"name":"cut-off","family":"softmax","dataset":"spirals","epochs":400,"params":{"logEvery":5}}""";
            BatchService.Batch batch = batches.record("spec.json", batches.plan("spec.json", spec));
            long id = batch.runIds().getFirst();

            AtomicBoolean takenOver = new AtomicBoolean();
            AtomicReference<Double> lastEpoch = new AtomicReference<>(0.0);
            TrialListener coordinatorActs = new TrialListener() {
                @Override
                public void onMetric(long runId, String key, long step, double epoch, double value) {
                    lastEpoch.set(epoch);
                    // After the first points: the coordinator lost this worker, put the run back, another started it.
                    if (epoch >= 1 && takenOver.compareAndSet(false, true)) {
                        assertThat(other.runs().requeue(runId)).isTrue();
                        other.runs().markRunning(runId);
                    }
                }
            };
            Map<Long, RunStatus> out = batches.execute(batch, 1, coordinatorActs, new AtomicBoolean());

            assertThat(takenOver).isTrue();
            assertThat(out.get(id)).as("this attempt's own end").isEqualTo(RunStatus.INTERRUPTED);
            assertThat(lastEpoch.get()).as("it stopped long before its 400 epochs").isLessThan(200);
            var run = store.runs().get(id).orElseThrow();
            assertThat(run.status()).as("the new attempt still runs").isEqualTo(RunStatus.RUNNING);
            assertThat(run.owner().host()).isEqualTo("other-worker");
            assertThat(store.metrics().series(id, "train_loss")).as("nothing of the old attempt after the requeue").isEmpty();
            assertThat(store.artifacts().list(id)).isEmpty();
        }
    }
}
