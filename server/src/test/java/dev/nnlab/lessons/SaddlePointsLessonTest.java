package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.host.PluginJars;
import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.LessonVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * experiments/lessons/saddle-points.json on 1,000 training digits: the tanh MLP ends training where
 * its Hessian has negative eigenvalues, softmax regression (no hidden layer) where it has none; with
 * the groups swapped the check does not hold.
 */
class SaddlePointsLessonTest {
    @TempDir
    Path dir;

    @Test
    void the_non_convex_net_ends_with_negative_curvature_and_the_convex_model_without() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode spec = (ObjectNode) json.readTree(Files.readString(PluginJars.checkoutRoot().resolve("experiments/lessons/saddle-points.json")));
        ((ObjectNode) spec.get("params")).put("trainSamples", 1000);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Batch batch = wb.batches().record("saddle", wb.batches().plan("saddle", spec.toString()));
            wb.batches().execute(batch, 1, TrialListener.NONE, new AtomicBoolean());
            LessonVerdict v = wb.lessons().evaluate(batch.experiment().id(), batch.plan().lesson(), batch.runIds());

            assertThat(v.verdict()).as(v.checks().toString()).isEqualTo("HELD");
            Lesson swapped = Lesson.parse("test", json.readTree("""
                    {"claim":"c","source":"s","checks":[
                     {"statistic":"hessian_negative_share","group":{"hidden":[]},"compare":">","value":0.0},
                     {"statistic":"hessian_negative_share","group":{"hidden":[]},"compare":">","other":{"hidden":[32]}}]}"""));
            Verdict absent = new LessonEvaluator(wb.store()).evaluate(swapped, batch.runIds());
            assertThat(absent.outcome()).isEqualTo(Verdict.Outcome.NOT_HELD);
        }
    }
}
