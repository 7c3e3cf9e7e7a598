package dev.nnlab.runs;

import dev.nnlab.host.PluginJars;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** experiments/sanity.json does what CS231n's sanity checks promise, through the store. */
class SanityExperimentTest {

    @Test
    void twenty_samples_overfit_to_full_training_accuracy_from_a_loss_near_ln_10(@TempDir Path dir) throws Exception {
        String spec = Files.readString(PluginJars.checkoutRoot().resolve("experiments").resolve("sanity.json"));
        try (Workbench wb = Workbench.open(dir.resolve("n.db"), PluginJars.builtInPlugins(), dir.resolve("data"), "test", null)) {
            BatchService.Batch batch = wb.batches().record("sanity.json", wb.batches().plan("sanity.json", spec));
            Map<Long, RunStatus> done = wb.batches().execute(batch, 1, TrialListener.NONE, new AtomicBoolean());
            long id = batch.runIds().getFirst();
            assertThat(done.get(id)).isEqualTo(RunStatus.FINISHED);

            List<MetricPoint> loss = wb.store().metrics().series(id, "train_loss");
            assertThat(loss.getFirst().step()).isEqualTo(1); // logEvery 1: the mean loss of the first step
            assertThat(loss.getFirst().value()).isCloseTo(Math.log(10), within(0.05));
            assertThat(wb.store().events().list(id)).extracting(RunEvent::code).contains("initial_loss_ok").doesNotContain("initial_loss");

            List<MetricPoint> acc = wb.store().metrics().series(id, "train_acc");
            assertThat(acc.getFirst().value()).isLessThan(0.5);
            assertThat(acc.getLast().value()).isEqualTo(1.0);
            // Validation is whole (900 digits), so 20 memorised samples do not make a good classifier.
            assertThat(wb.store().metrics().series(id, "val_acc").getLast().value()).isLessThan(0.9);
            assertThat(wb.store().runs().get(id).orElseThrow().config().get("preparation").asText())
                    .isEqualTo("valFraction=0.1 preprocess=scale trainSamples=20");
        }
    }
}
