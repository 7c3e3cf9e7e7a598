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
    @CsvSource({"quickstart.json, mlp, 6", "momentum.json, softmax, 12", "init.json, mlp, 3", "random-search.json, mlp, 8", "sanity.json, mlp, 1", "cnn-mnist.json, cnn, 3"})
    void a_shipped_experiment_plans_against_the_built_in_families(String file, String family, int trials, @TempDir Path dir) throws Exception {
        Path spec = PluginJars.checkoutRoot().resolve("experiments").resolve(file);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Plan plan = wb.batches().plan(file, Files.readString(spec));
            assertThat(plan.family().id()).isEqualTo(family);
            assertThat(plan.trials()).hasSize(trials);
            assertThat(plan.spec().description()).isNotBlank();
        }
    }
}
