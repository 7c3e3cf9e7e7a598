package dev.nnlab.plugins.resnet;

import dev.nnlab.spi.ArtifactWriter;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static dev.nnlab.plugins.resnet.ResNetTest.RESNET;
import static dev.nnlab.plugins.resnet.ResNetTest.bars;
import static dev.nnlab.plugins.resnet.ResNetTest.p;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Training keeps one batch of activations, not one per step or per epoch: every layer reuses one
 * output and one gradient buffer (replaced, not added to, when the batch size changes for the
 * remainder batch or the evaluation chunks). Measured as the heap still reachable after a full
 * collection at each epoch end: it must not grow from epoch to epoch by anything near a batch of
 * activations.
 */
class ActivationRetentionTest {

    /** Records the reachable heap after a collection whenever an epoch's validation loss is reported. */
    private static final class HeapAtEpochEnd implements RunSink {
        final List<Long> used = new ArrayList<>();

        @Override
        public void metric(String key, long step, double epoch, double value) {
            if (!key.equals("val_loss")) return;
            for (int i = 0; i < 3; i++) System.gc();
            used.add(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        @Override public void layerStat(long step, String layer, String stat, double value) {}

        @Override public void event(long step, Severity severity, String code, String message, String hint) {}

        @Override public void artifact(String name, String mediaType, ArtifactWriter writer) {}
    }

    @Test
    void the_heap_reachable_at_each_epoch_end_does_not_grow_by_a_batch_of_activations() {
        // 100 samples in batches of 32: three full batches and a remainder of 4, so the buffers change size every epoch.
        TrainingJob job = new TrainingJob(RESNET.params().resolve(p("depth", 8, "optimizer", "momentum", "lr", 0.01,
                "epochs", 4, "batchSize", 32, "logEvery", 2), "$.params"), bars(100, 1), bars(40, 2), bars(8, 3), null, 1);
        HeapAtEpochEnd sink = new HeapAtEpochEnd();
        assertThat(RESNET.train(job, sink).outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(sink.used).hasSize(4);
        // One batch of ResNet-8 activations on 12x12 images at batch 32: 32 rows x over 25,000 floats (outputs and
        // gradients of 7 convolutions, their batch norms and ReLUs at 16 x 12 x 12 and smaller) x 4 bytes, over 3 MB.
        long batch = 32L * 25_000 * 4;
        long growth = sink.used.get(3) - sink.used.get(1);
        assertThat(growth).as("heap growth from epoch 2 to epoch 4, bytes: " + sink.used).isLessThan(batch / 4);
    }
}
