package dev.nnlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunQuery;
import dev.nnlab.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./nnlab run --refine EXPERIMENT}: a coarse search, then a finer one around its best region, and the bad inputs. */
class RefineCommandTest {

    @Test
    void a_coarse_search_is_refined_around_its_best_runs_and_says_why(@TempDir Path dir) throws Exception {
        Path spec = Files.writeString(dir.resolve("coarse.json"), """
                {"name":"coarse","family":"softmax","dataset":"spirals","epochs":1,
                 "params":{"optimizer":"sgd","logEvery":5},
                 "random":{"trials":6,"seed":1,"params":{"lr":{"logUniform":[1e-4,1.0]}}}}""");
        String db = dir.resolve("store.db").toString(), plugins = PluginJars.builtInPlugins().toString();
        String data = dir.resolve("no-data").toString();
        assertThat(CliRun.of("run", spec.toString(), "--db", db, "--plugins", plugins, "--data-dir", data).exitCode()).isZero();

        CliRun r = CliRun.of("run", "--refine", "coarse", "--metric", "val_loss", "--trials", "3", "--db", db, "--plugins", plugins, "--data-dir", data);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("refining coarse into coarse-refined:")
                .contains("best 3 of 6 finished runs by val_loss (lowest)")
                .contains("lr: logUniform [");
        assertThat(r.out()).contains("best val_acc");

        try (Store store = Store.open(Path.of(db))) {
            Experiment fine = store.experiments().findByName("coarse-refined").orElseThrow();
            JsonNode lr = fine.spec().get("random").get("params").get("lr").get("logUniform");
            List<Run> runs = store.runs().list(RunQuery.all().inExperiment("coarse-refined"));
            assertThat(runs).hasSize(3).allSatisfy(run -> {
                double v = run.config().get("params").get("lr").asDouble();
                assertThat(v).isBetween(lr.get(0).asDouble(), lr.get(1).asDouble());
            });
        }
        // Twice: a new name, the first refinement keeps its runs.
        CliRun again = CliRun.of("run", "--refine", "coarse", "--trials", "2", "--db", db, "--plugins", plugins, "--data-dir", data);
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("into coarse-refined-2");
    }

    @Test
    void bad_refine_inputs_exit_2_with_the_reason(@TempDir Path dir) {
        String db = dir.resolve("store.db").toString(), plugins = PluginJars.builtInPlugins().toString();
        CliRun none = CliRun.of("run", "--refine", "nothing", "--db", db, "--plugins", plugins);
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("--refine: no experiment named \"nothing\"");
        CliRun both = CliRun.of("run", "x.json", "--refine", "nothing", "--db", db, "--plugins", plugins);
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("give either SPEC.json or --refine EXPERIMENT");
        CliRun neither = CliRun.of("run", "--db", db, "--plugins", plugins);
        assertThat(neither.exitCode()).isEqualTo(2);
    }
}
