package dev.nnlab.runs;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The grid a new user writes first, {@code "momentum": [0.0, 0.9]}, plans two trials and runs both
 * to the end: momentum 0 trains as plain SGD instead of failing at run time.
 */
class MomentumGridTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"momentum", "nesterov"})
    void a_grid_over_momentum_0_and_0_9_finishes_both_trials_and_they_train_differently(String optimizer, @TempDir Path dir)
            throws Exception {
        String spec = """
                {"name": "momentum-grid", "family": "softmax", "dataset": "spirals", "epochs": 2,
                 "params": {"optimizer": "%s", "lr": 0.1, "logEvery": 5},
                 "grid": {"momentum": [0.0, 0.9]}}""".formatted(optimizer);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Plan plan = wb.batches().plan("grid.json", spec);
            assertThat(plan.trials()).hasSize(2);
            BatchService.Batch batch = wb.batches().record("grid.json", plan);
            Map<Long, RunStatus> statuses = wb.batches().execute(batch, 1, TrialListener.NONE, new AtomicBoolean());
            assertThat(statuses.values()).containsExactly(RunStatus.FINISHED, RunStatus.FINISHED);
            List<MetricPoint> plain = wb.store().metrics().series(batch.runIds().get(0), "train_loss");
            List<MetricPoint> heavy = wb.store().metrics().series(batch.runIds().get(1), "train_loss");
            assertThat(plain).isNotEmpty();
            assertThat(heavy).hasSameSizeAs(plain);
            // The same seed, data and batches: only the momentum differs, so the curves must too.
            assertThat(heavy.getLast().value()).isNotEqualTo(plain.getLast().value());
            assertThat(wb.store().metrics().series(batch.runIds().get(0), "test_acc")).hasSize(1);
        }
    }
}
