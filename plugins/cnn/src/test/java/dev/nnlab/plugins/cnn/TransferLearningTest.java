package dev.nnlab.plugins.cnn;

import dev.nnlab.data.Dataset;
import dev.nnlab.testing.Mnist10k;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.spi.InvalidParamException;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.training.CheckpointArtifact;
import dev.nnlab.training.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.nnlab.plugins.cnn.ConvNetTest.CNN;
import static dev.nnlab.plugins.cnn.ConvNetTest.p;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** initFrom / trainLast: a trunk trained on 10 digits, fine-tuned as an even/odd classifier. */
class TransferLearningTest {
    private static final String TRUNK = "conv3x3x4p1,relu,maxpool2,conv3x3x8p1,relu,maxpool2,fc16,relu,";

    /** 300 train, 100 validation, 100 test digits; with {@code parity} the labels are even (0) and odd (1). */
    private static TrainingJob job(boolean parity, Map<String, Object> given) throws Exception {
        Dataset all = Mnist10k.load();
        Dataset d = all.subset("mnist-10k-sample", Split.stratifiedSample(all.labels(), 500, 7));
        if (parity) {
            int[] y = d.labels().clone();
            for (int i = 0; i < y.length; i++) y[i] %= 2;
            d = new Dataset("parity", d.features(), y, List.of("even", "odd"), d.size(), d.scale(), d.checksum());
        }
        Split s = Split.stratified(d.labels(), 0.6, 0.2, 3);
        return new TrainingJob(CNN.params().resolve(given, "$.params"), d.subset("train", s.train()), d.subset("val", s.val()),
                d.subset("test", s.test()), null, 1);
    }

    private static Map<String, float[]> weights(RecordingSink sink, Path dir, String file) throws Exception {
        Path ckpt = Files.write(dir.resolve(file), sink.artifact(CheckpointArtifact.NAME).bytes());
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Checkpoint.Entry e : Checkpoint.readEntries(ckpt)) out.put(e.name(), e.values());
        return out;
    }

    @Test
    void the_frozen_layers_keep_their_loaded_weights_bit_for_bit_and_the_new_head_trains(@TempDir Path dir) throws Exception {
        RecordingSink source = new RecordingSink();
        assertThat(CNN.train(job(false, p("layers", TRUNK + "fc10", "optimizer", "adam", "lr", 0.003, "epochs", 1,
                "batchSize", 30)), source).outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        Path ckpt = Files.write(dir.resolve("source.ckpt"), source.artifact(CheckpointArtifact.NAME).bytes());
        Map<String, float[]> before = weights(source, dir, "before.ckpt");

        // Two classes now; the last two layers with parameters (fc16 and the new fc2) train, both convolutions are frozen.
        Map<String, Object> given = p("layers", TRUNK + "fc2", "optimizer", "momentum", "lr", 0.05, "epochs", 2,
                "batchSize", 30, "initFrom", 7, "trainLast", 2);
        TrainingJob fine = job(true, given).withInitialWeights(ckpt);
        CNN.checkFits(fine.params(), fine.data(), ckpt);
        RecordingSink tuned = new RecordingSink();
        assertThat(CNN.train(fine, tuned).outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        Map<String, float[]> after = weights(tuned, dir, "after.ckpt");

        for (String frozen : List.of("conv0.weight", "conv0.bias", "conv3.weight", "conv3.bias")) {
            assertThat(Arrays.equals(after.get(frozen), before.get(frozen))).as(frozen + " is bit-identical").isTrue();
        }
        assertThat(Arrays.equals(after.get("dense6.weight"), before.get("dense6.weight"))).as("fc16 trains").isFalse();
        assertThat(after.get("dense8.weight")).as("the new head: 2 x 16").hasSize(2 * 16);
        assertThat(before.get("dense8.weight")).hasSize(10 * 16);
        assertThat(tuned.last("test_acc")).as("even/odd above chance").isGreaterThan(0.6);
    }

    @Test
    void weights_of_another_network_are_refused_naming_the_parameter_that_differs(@TempDir Path dir) throws Exception {
        RecordingSink source = new RecordingSink();
        CNN.train(job(false, p("layers", TRUNK + "fc10", "epochs", 1, "batchSize", 100)), source);
        Path ckpt = Files.write(dir.resolve("source.ckpt"), source.artifact(CheckpointArtifact.NAME).bytes());
        TrainingJob wider = job(false, p("layers", "conv3x3x6p1,relu,maxpool2,conv3x3x8p1,relu,maxpool2,fc16,relu,fc10",
                "initFrom", 3));
        assertThatThrownBy(() -> CNN.checkFits(wider.params(), wider.data(), ckpt))
                .isInstanceOf(InvalidParamException.class)
                .hasMessageContaining("$.params.initFrom")
                .hasMessageContaining("run 3 does not")
                .hasMessageContaining("conv0.weight is [4, 1, 3, 3] in its weights but [6, 1, 3, 3] in this network");
        TrainingJob deeper = job(false, p("layers", "conv3x3x4p1,relu,maxpool2,conv3x3x8p1,relu,maxpool2,fc16,relu,fc16,relu,fc10",
                "initFrom", 3));
        assertThatThrownBy(() -> CNN.checkFits(deeper.params(), deeper.data(), ckpt))
                .hasMessageContaining("dense8.weight is [16, 10] in its weights but [16, 16] in this network");
    }
}
