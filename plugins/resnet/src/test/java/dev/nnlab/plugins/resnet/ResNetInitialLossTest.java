package dev.nnlab.plugins.resnet;

import dev.nnlab.data.Dataset;
import dev.nnlab.testing.Mnist10k;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.loss.Losses;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.SupervisedTraining;
import dev.nnlab.training.TransferLearning;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CS231n's first sanity check on a fresh ResNet-20 (W4's net) and 64 shipped MNIST digits: with
 * small classifier weights the scores start nearly equal and the loss near ln 10, so a healthy run
 * raises no {@code initial_loss} warning; weights that start too large do raise it. One step each
 * (the run is stopped after its first batch), so the whole class takes seconds.
 */
class ResNetInitialLossTest {
    static final double LN10 = Math.log(10);

    static TrainingJob firstBatch(int seed) throws Exception {
        Dataset all = Mnist10k.load();
        int[] rows = new int[64];
        for (int i = 0; i < rows.length; i++) rows[i] = i * 97;
        Dataset d = all.subset("digits", rows);
        Map<String, Object> params = ResNetTest.p("depth", 20, "optimizer", "momentum", "lr", 0.1, "momentum", 0.9,
                "weightDecay", 5e-4, "batchSize", 64, "epochs", 1, "seed", seed);
        return new TrainingJob(ResNetTest.RESNET.params().resolve(params, "$.params"), d, d.subset("val", new int[0]),
                d.subset("test", new int[0]), null, 1);
    }

    static RecordingSink firstStep(TrainingJob job, Sequential model) {
        RecordingSink sink = new RecordingSink();
        sink.requestStop();
        TrainResult r = model == null ? ResNetTest.RESNET.train(job, sink)
                : SupervisedTraining.fit(job, sink, model, Losses.create("cross_entropy"), LN10, "ln(10)");
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.STOPPED);
        return sink;
    }

    static Sequential resnet20(int seed) {
        return ResNet.build(new int[] {1, 28, 28}, 10, 20, false, false).initialize(new Rng(seed));
    }

    @Test
    void a_fresh_resnet20_starts_near_ln_10_and_warns_of_nothing() throws Exception {
        for (int seed = 1; seed <= 3; seed++) {
            RecordingSink sink = firstStep(firstBatch(seed), null);
            assertThat(sink.last("initial_loss")).as("seed %d", seed).isBetween(0.9 * LN10, 1.3 * LN10);
            assertThat(sink.hasEvent("initial_loss_ok")).isTrue();
            assertThat(sink.events()).as("seed %d", seed).noneMatch(e -> e.severity() != RunSink.Severity.INFO);
        }
    }

    @Test
    void he_normal_classifier_weights_start_the_same_net_well_above_ln_10() throws Exception {
        // The init the family had before: right for a layer feeding a ReLU, too wide for the scores of a ResNet,
        // whose pooled features grow stage by stage along the shortcuts.
        double he = 0, uniform = 0;
        for (int seed = 1; seed <= 3; seed++) {
            Sequential model = resnet20(seed);
            String head = TransferLearning.head(model);
            Tensor w = model.params().value(head + ".weight");
            new He().fill(w, w.rows(), w.cols(), new Rng(seed + 100));
            he += firstStep(firstBatch(seed), model).last("initial_loss") / 3;
            uniform += firstStep(firstBatch(seed), resnet20(seed)).last("initial_loss") / 3;
        }
        assertThat(he).isGreaterThan(1.25 * LN10).isGreaterThan(uniform + 0.4);
    }

    @Test
    void classifier_weights_ten_times_too_large_raise_the_initial_loss_warning() throws Exception {
        Sequential model = resnet20(1);
        Tensor w = model.params().value(TransferLearning.head(model) + ".weight");
        for (int i = 0; i < w.size(); i++) w.data[w.offset + i] *= 10;
        RecordingSink sink = firstStep(firstBatch(1), model);
        assertThat(sink.last("initial_loss")).isGreaterThan(1.5 * LN10);
        assertThat(sink.events()).filteredOn(e -> e.code().equals("initial_loss")).singleElement()
                .satisfies(e -> {
                    assertThat(e.severity()).isEqualTo(RunSink.Severity.WARNING);
                    assertThat(e.hint()).contains("Weights start too large");
                });
    }
}
