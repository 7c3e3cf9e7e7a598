package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.LessonVerdict;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * experiments/resnet-degradation.json end to end on 64 shipped digits: it plans, trains all four nets
 * (plain and residual at 8 and 32 layers), records both groups of every check and computes a verdict.
 * Not the direction of the effect: measured on the spec's own 1,500 digits, the deeper plain net ends
 * 2 epochs (48 steps) with the lower training loss, not the higher (README, experiments), and no
 * reduced run that fits a test's budget can be expected to show what the full one does not.
 */
class ResNetDegradationSpecTest {

    @Test
    void the_degradation_spec_trains_both_depths_of_both_kinds_and_computes_a_verdict(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String file = "resnet-degradation.json";
        ObjectNode spec = (ObjectNode) json.readTree(Files.readString(PluginJars.checkoutRoot().resolve("experiments").resolve(file)));
        ((ObjectNode) spec.get("params")).put("trainSamples", 64).put("valFraction", 0.02);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Batch batch = wb.batches().record(file, wb.batches().plan(file, spec.toString()));
            Map<Long, RunStatus> done = wb.batches().execute(batch, 1, TrialListener.NONE, new AtomicBoolean());
            assertThat(batch.runIds()).hasSize(4);
            assertThat(done.values()).containsOnly(RunStatus.FINISHED);
            LessonVerdict v = wb.lessons().evaluate(batch.experiment().id(), batch.plan().lesson(), batch.runIds());
            assertThat(v.verdict()).isIn("HELD", "NOT_HELD");
            assertThat(v.checks()).hasSize(3);
            v.checks().forEach(c -> {
                assertThat(c.get("outcome").asText()).as(c.toString()).isIn("HELD", "NOT_HELD");
                assertThat(c.get("group").get("runs")).as(c.toString()).hasSize(1);
                assertThat(c.get("other").get("runs")).as(c.toString()).hasSize(1);
            });
        }
    }
}
