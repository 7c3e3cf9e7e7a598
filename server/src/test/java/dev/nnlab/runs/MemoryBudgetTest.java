package dev.nnlab.runs;

import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginJars;
import dev.nnlab.sweep.SpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The planner's memory check with a heap of a chosen size, on the real MLP plugin. */
class MemoryBudgetTest {

    static final String SPEC = """
            {"name":"m","family":"mlp","dataset":"mnist-10k","params":{"optimizer":"adam","batchSize":64},
             "grid":{"hidden":[[32],[256,256]]}}""";

    static String familyEstimating(String className, String id, String estimateBody) {
        return """
                package org.example;
                import dev.nnlab.spi.*;
                import java.util.Map;
                import java.util.Set;
                public class %s implements ModelFamily {
                    public String id() { return "%s"; }
                    public String displayName() { return "%s"; }
                    public String description() { return "A family built by a test."; }
                    public int apiVersion() { return PluginApi.VERSION; }
                    public ParamSchema params() { return CommonParams.SCHEMA; }
                    public Set<DataKind> dataKinds() { return Set.of(DataKind.VECTOR, DataKind.IMAGE); }
                    public MemoryEstimate estimateMemory(Map<String, Object> p, int[] shape, int classes) { %s }
                    public TrainResult train(TrainingJob job, RunSink sink) { return TrainResult.finished(); }
                }
                """.formatted(className, id, id, estimateBody);
    }

    @Test
    void a_third_party_estimate_is_checked_and_one_that_throws_does_not_take_planning_down(@TempDir Path dir) throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        PluginJars.build(plugins.resolve("greedy.jar"), "org.example", "Greedy",
                familyEstimating("Greedy", "greedy", "return MemoryEstimate.of(1L << 50, 0, 0, 0, 0);"), true);
        PluginJars.build(plugins.resolve("broken.jar"), "org.example", "Broken",
                familyEstimating("Broken", "broken", "throw new IllegalStateException(\"boom\");"), true);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), plugins, dir.resolve("data"), "test", null)) {
            assertThatThrownBy(() -> wb.batches().plan("g.json", "{\"name\":\"g\",\"family\":\"greedy\",\"dataset\":\"spirals\"}"))
                    .isInstanceOf(SpecException.class).hasMessageContaining("needs an estimated 1.0 PiB");
            assertThat(wb.batches().plan("b.json", "{\"name\":\"b\",\"family\":\"broken\",\"dataset\":\"spirals\"}").trials())
                    .hasSize(1);
        }
    }

    @Test
    void the_limit_is_a_share_of_the_heap_not_in_use() {
        MemoryBudget b = new MemoryBudget(() -> 1000L << 20, () -> 200L << 20);
        assertThat(b.limit()).isEqualTo((long) (MemoryBudget.SHARE * (800L << 20)));
        assertThat(new MemoryBudget(() -> 100, () -> 300).limit()).as("never negative").isZero();
        assertThat(new MemoryBudget().limit()).isPositive();
    }

    @Test
    void a_trial_over_the_limit_is_refused_naming_it_the_estimate_and_the_limit(@TempDir Path dir) {
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Plan plan = wb.batches().plan("m.json", SPEC);  // both trials fit this JVM
            LoadedFamily mlp = plan.family();
            // 784-256-256-10 with Adam: 269,322 values x 4 bytes x (1 + 1 + 2) plus a snapshot and activations: about 5.9 MiB.
            MemoryBudget small = new MemoryBudget(() -> 5L << 20, () -> 0);
            assertThatThrownBy(() -> small.check("m.json", mlp, plan.trials(), new int[] {28, 28}, 10))
                    .isInstanceOf(SpecException.class)
                    .hasMessageContaining("m.json: $.params: trial 2 (")
                    .hasMessageContaining("hidden=[256, 256]")
                    .hasMessageContaining("parameters 1.0 MiB + gradients 1.0 MiB + optimizer state 2.1 MiB")
                    .hasMessageContaining("limit of 4.0 MiB")
                    .hasMessageContaining("max heap 5.0 MiB");
            new MemoryBudget(() -> 64L << 20, () -> 0).check("m.json", mlp, plan.trials(), new int[] {28, 28}, 10);
        }
    }
}
