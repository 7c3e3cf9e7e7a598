package dev.nnlab.cli;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nnlab run} end to end on the shipped mnist-10k: what lands in the store. */
class RunCommandTest {

    @Test
    void a_tiny_batch_on_mnist_10k_records_runs_params_provenance_curves_statistics_and_diagnostics(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("tiny.json"), """
                {"name":"tiny","family":"mlp","dataset":"mnist-10k","epochs":1,
                 "params":{"hidden":[32],"optimizer":"adam","lr":0.002,"batchSize":128,"logEvery":10},
                 "grid":{"activation":["relu","tanh"]}}""");
        Path db = dir.resolve("store.db");
        CliRun r = CliRun.of("run", spec.toString(), "--db", db.toString(), "--plugins", PluginJars.builtInPlugins().toString(),
                "--data-dir", dir.resolve("no-data").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("best val_acc").contains("activation=relu").contains("activation=tanh").contains("FINISHED");

        try (Store store = Store.open(db)) {
            Experiment e = store.experiments().findByName("tiny").orElseThrow();
            List<Run> runs = store.runs().list(RunQuery.all());
            assertThat(runs).hasSize(2).allSatisfy(run -> {
                assertThat(run.experimentId()).isEqualTo(e.id());
                assertThat(run.status()).isEqualTo(RunStatus.FINISHED);
                assertThat(run.family()).isEqualTo("mlp");
                assertThat(run.provenance().pluginId()).isEqualTo("mlp");
                assertThat(run.provenance().pluginVersion()).isNotBlank();
                assertThat(run.provenance().nnlabVersion()).isNotBlank();
                assertThat(run.provenance().dataset()).isEqualTo("mnist-10k");
                assertThat(run.provenance().datasetChecksum()).startsWith("sha256:");
                assertThat(run.provenance().seed()).isEqualTo(1L);
                // the fully resolved configuration: defaults filled in
                assertThat(run.config().get("params").get("weightDecay").asDouble()).isEqualTo(0.0);
                assertThat(run.config().get("params").get("init").asText()).isEqualTo("he");
                assertThat(run.config().get("split").get("seed").asLong()).isPositive();
            });
            long id = runs.getFirst().id();
            assertThat(store.runs().params(id)).extracting(p -> p.key()).contains("lr", "hidden", "activation", "batchSize");
            List<String> keys = store.metrics().summaries(id).stream().map(MetricSummary::key).toList();
            assertThat(keys).contains("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "lr");
            double testAcc = store.metrics().summaries(id).stream().filter(m -> m.key().equals("test_acc")).findFirst().orElseThrow().last();
            assertThat(testAcc).isGreaterThan(0.7);
            // 8100 training samples / 128 per batch = 64 steps; a train_loss point every 10 steps plus the epoch end
            assertThat(store.metrics().series(id, "train_loss")).hasSizeGreaterThanOrEqualTo(6);
            assertThat(store.layerStats().latest(id)).extracting(LayerStat::stat).contains("grad_norm", "weight_norm", "update_ratio");
            assertThat(store.events().list(id)).extracting(RunEvent::code).containsAnyOf("initial_loss_ok", "initial_loss");
        }
    }
}
