package dev.nnlab.plugins.mlp;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.nn.Sequential;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.nnlab.plugins.mlp.MultilayerPerceptronTest.MLP;
import static dev.nnlab.plugins.mlp.MultilayerPerceptronTest.job;
import static dev.nnlab.plugins.mlp.MultilayerPerceptronTest.p;
import static org.assertj.core.api.Assertions.assertThat;

/** The MLP's memory estimate counts exactly the parameters the model it builds has. */
class MlpMemoryTest {
    static final Dataset BLOBS = GaussianBlobs.generate(4, 30, 12, 1.0, 5);

    static void assertCountsMatchTheBuiltModel(Map<String, Object> given) {
        TrainingJob job = job(BLOBS, given, null);
        Sequential model = MultilayerPerceptron.model(job);
        MemoryEstimate e = MLP.estimateMemory(job.params(), job.labelled().sampleShape(), job.labelled().numClasses());
        assertThat(e.known()).isTrue();
        assertThat(e.parameters()).as("parameters of %s", given).isEqualTo(4L * model.params().size());
        assertThat(e.gradients()).isEqualTo(4L * model.params().size());
        assertThat(e.snapshots()).as("trainable of %s", given).isEqualTo(4L * model.params().trainableCount());
        // Every layer's output for one batch is part of the activations, input gradients come on top.
        int rows = dev.nnlab.training.Evaluation.rowsPerPass(job.intParam("batchSize"));
        model.forward(Tensor.zeros(rows, job.labelled().train().featureCount()), true);
        long outputs = 0;
        for (int i = 0; i < model.layers().size(); i++) outputs += model.lastOutput(i).size();
        assertThat(e.activations()).as("activations of %s", given).isGreaterThan(4L * outputs);
    }

    @Test
    void parameter_counts_match_the_built_model_for_every_kind_of_layer() {
        assertCountsMatchTheBuiltModel(p("hidden", List.of(16, 8)));
        assertCountsMatchTheBuiltModel(p("hidden", List.of(16, 8), "activation", "maxout", "maxoutPieces", 3));
        assertCountsMatchTheBuiltModel(p("hidden", List.of(10), "activation", "prelu", "batchNorm", true, "dropout", 0.5));
        assertCountsMatchTheBuiltModel(p("hidden", List.of(7, 5, 3), "batchNorm", true, "optimizer", "sgd"));
    }

    @Test
    void adam_keeps_two_state_arrays_and_plain_sgd_none() {
        Map<String, Object> adam = MLP.params().resolve(p("hidden", List.of(100), "optimizer", "adam"), "$.params");
        Map<String, Object> sgd = MLP.params().resolve(p("hidden", List.of(100), "optimizer", "sgd"), "$.params");
        MemoryEstimate a = MLP.estimateMemory(adam, new int[] {28, 28}, 10), s = MLP.estimateMemory(sgd, new int[] {28, 28}, 10);
        long values = 784L * 100 + 100 + 100L * 10 + 10;
        assertThat(a.parameters()).isEqualTo(4 * values);
        assertThat(a.optimizerState()).isEqualTo(8 * values);
        assertThat(s.optimizerState()).isZero();
    }

    @Test
    void a_model_whose_weights_exceed_any_java_array_is_counted_in_longs() {
        Map<String, Object> huge = MLP.params().resolve(p("hidden", List.of(65536, 65536)), "$.params");
        MemoryEstimate e = MLP.estimateMemory(huge, new int[] {28, 28}, 10);
        long values = 784L * 65536 + 65536 + 65536L * 65536 + 65536 + 65536L * 10 + 10;
        assertThat(e.parameters()).isEqualTo(4 * values);
        assertThat(e.total()).as("values, gradients and the snapshot at least").isGreaterThan(3 * e.parameters());
    }
}
