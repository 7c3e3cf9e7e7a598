package dev.nnlab.lessons;

import com.fasterxml.jackson.databind.JsonNode;
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
 * experiments/augmentation.json end to end on 300 shipped digits for 10 epochs (the file: 1,000 for 15):
 * both variants, both seeds, the verdict computed, and the direction of the effect that is robust at this
 * size: augmented batches are harder to memorise (lower training accuracy) and the train-validation gap
 * shrinks. Validation accuracy itself is compared (the check is measured) but its direction is not
 * asserted: on the full spec it is 1.1 points (94.8% against 93.7%), and at this size it goes the other
 * way. Measured with the family directly on 300 digits, 10 epochs (seeds 1, 2): training accuracy 68.6% /
 * 65.9% augmented against 98.0% / 97.7%, gap -11.7 / -17.2 points against +10.6 / +9.7, validation
 * accuracy 80.2% / 83.1% against 87.4% / 88.0% (300 digits under this much augmentation underfit in 10 epochs).
 */
class AugmentationSpecTest {

    @Test
    void augmentation_lowers_training_accuracy_and_narrows_the_train_validation_gap(@TempDir Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String file = "augmentation.json";
        ObjectNode spec = (ObjectNode) json.readTree(Files.readString(PluginJars.checkoutRoot().resolve("experiments").resolve(file)));
        ((ObjectNode) spec.get("params")).put("trainSamples", 300);
        spec.put("epochs", 10);
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Batch batch = wb.batches().record(file, wb.batches().plan(file, spec.toString()));
            Map<Long, RunStatus> done = wb.batches().execute(batch, 1, TrialListener.NONE, new AtomicBoolean());
            assertThat(batch.runIds()).hasSize(4);
            assertThat(done.values()).containsOnly(RunStatus.FINISHED);
            LessonVerdict v = wb.lessons().evaluate(batch.experiment().id(), batch.plan().lesson(), batch.runIds());
            JsonNode val = v.checks().get(0), train = v.checks().get(1);
            assertThat(val.get("outcome").asText()).as(val.toString()).isIn("HELD", "NOT_HELD");
            assertThat(train.get("outcome").asText()).as(train.toString()).isEqualTo("HELD");
            double gapAugmented = train.get("group").get("mean").asDouble() - val.get("group").get("mean").asDouble();
            double gapPlain = train.get("other").get("mean").asDouble() - val.get("other").get("mean").asDouble();
            assertThat(gapAugmented).as("train - val accuracy with augmentation, vs %s without", gapPlain).isLessThan(gapPlain - 0.02);
        }
    }
}
