package dev.nnlab.runs;

import dev.nnlab.host.PluginJars;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every spec shipped in experiments/ is valid against the real families and plans the trials it describes. */
class ShippedExperimentsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"quickstart.json, mlp, 6", "momentum.json, softmax, 12", "init.json, mlp, 3", "random-search.json, mlp, 8", "sanity.json, mlp, 1", "cnn-mnist.json, cnn, 3", "lstm-vs-rnn.json, lstm, 6", "augmentation.json, cnn, 4", "resnet-degradation.json, resnet, 8", "halving.json, mlp, 9"})
    void a_shipped_experiment_plans_against_the_built_in_families(String file, String family, int trials, @TempDir Path dir) throws Exception {
        Path spec = PluginJars.checkoutRoot().resolve("experiments").resolve(file);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Plan plan = wb.batches().plan(file, Files.readString(spec));
            assertThat(plan.family().id()).isEqualTo(family);
            assertThat(plan.trials()).hasSize(trials);
            assertThat(plan.spec().description()).isNotBlank();
        }
    }

    /** Specs on data that is not shipped (PTB, Tiny Shakespeare) cannot plan in a test; their parameters still must fit the family. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"ptb-small.json, lstm, 1", "shakespeare-char.json, lstm, 2"})
    void a_shipped_experiment_on_data_not_shipped_fits_its_family_schema(String file, String family, int trials, @TempDir Path dir) throws Exception {
        Path spec = PluginJars.checkoutRoot().resolve("experiments").resolve(file);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            var parsed = dev.nnlab.sweep.ExperimentSpec.parse(file, Files.readString(spec));
            assertThat(parsed.family()).isEqualTo(family);
            assertThat(dev.nnlab.sweep.SweepPlanner.plan(file, parsed, wb.plugins().family(family).family().params())).hasSize(trials);
            assertThat(parsed.description()).isNotBlank();
        }
    }
}
