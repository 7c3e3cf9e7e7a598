package dev.nnlab.runs;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A crashing plugin fails its own run and nothing else. */
class FaultyPluginTest {

    static Map<Long, RunStatus> runBatch(Workbench wb, String family) throws Exception {
        String spec = """
                {"name":"t-%s","family":"%s","dataset":"spirals","epochs":1,"params":{"logEvery":5}}""".formatted(family, family);
        BatchService.Batch b = wb.batches().record("spec.json", wb.batches().plan("spec.json", spec));
        return wb.batches().execute(b, 1, TrialListener.NONE, new AtomicBoolean());
    }

    @Test
    void throwing_and_stack_overflowing_plugins_fail_their_runs_and_the_host_carries_on(@TempDir Path dir) throws Exception {
        Path plugins = dir.resolve("plugins");
        java.nio.file.Files.createDirectories(plugins);
        PluginJars.copyBuiltIns(plugins);
        PluginJars.build(plugins.resolve("thrower.jar"), "org.example", "Thrower", PluginJars.family("org.example", "Thrower",
                "thrower", "PluginApi.VERSION", "sink.metric(\"train_loss\", 0, 0, 2.5); throw new IllegalStateException(\"boom in train\");"), true);
        PluginJars.build(plugins.resolve("deep.jar"), "org.example", "Deep", PluginJars.family("org.example", "Deep",
                "deep", "PluginApi.VERSION", "recurse(0); return TrainResult.finished();"), true);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), plugins, dir.resolve("data"), "test", null)) {
            Map<Long, RunStatus> thrown = runBatch(wb, "thrower");
            long id = thrown.keySet().iterator().next();
            assertThat(thrown.get(id)).isEqualTo(RunStatus.FAILED);
            Run run = wb.store().runs().get(id).orElseThrow();
            assertThat(run.error()).contains("IllegalStateException").contains("boom in train");
            // what the plugin reported before it threw is kept
            assertThat(wb.store().metrics().series(id, "train_loss")).hasSize(1);
            assertThat(wb.store().events().list(id)).extracting(RunEvent::code).contains("failed");

            Map<Long, RunStatus> deep = runBatch(wb, "deep");
            assertThat(deep.values()).containsExactly(RunStatus.FAILED);
            assertThat(wb.store().runs().get(deep.keySet().iterator().next()).orElseThrow().error()).contains("StackOverflowError");

            Map<Long, RunStatus> fine = runBatch(wb, "mlp");
            assertThat(fine.values()).containsExactly(RunStatus.FINISHED);
        }
    }
}
