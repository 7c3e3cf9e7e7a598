package org.example.nnlab;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.nn.GradientCheck;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.Split;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How to test a family without a running nnlab: a job over generated data, a {@link RecordingSink}
 * that keeps whatever the family reports, and {@link GradientCheck} for the layers it stacks.
 */
class TwoLayerNetTest {
    static final TwoLayerNet FAMILY = new TwoLayerNet();

    /** What the host would hand the family: resolved parameters and a split of labelled data. */
    static TrainingJob job(Dataset all, Map<String, Object> given) {
        Split s = Split.stratified(all.labels(), 0.7, 0.15, 3);
        return new TrainingJob(FAMILY.params().resolve(given, "$.params"), all.subset("train", s.train()),
                all.subset("val", s.val()), all.subset("test", s.test()), null, 1);
    }

    @Test
    void separable_blobs_are_learned_and_every_epoch_is_reported() {
        Dataset blobs = GaussianBlobs.generate(3, 2, 100, 0.5, 1);
        RecordingSink sink = new RecordingSink();

        TrainResult r = FAMILY.train(job(blobs, Map.of("epochs", 15, "lr", 0.1, "optimizer", "momentum", "width", 16)), sink);

        assertEquals(TrainResult.Outcome.FINISHED, r.outcome());
        assertTrue(sink.last("test_acc") > 0.9, "test accuracy " + sink.last("test_acc"));
        assertTrue(sink.values("train_loss").getLast() < sink.values("train_loss").getFirst(), "the loss went down");
    }

    @Test
    void a_stop_request_ends_the_run_as_stopped() {
        RecordingSink sink = new RecordingSink();
        sink.requestStop();
        TrainResult r = FAMILY.train(job(GaussianBlobs.generate(3, 2, 50, 0.5, 2), Map.of("epochs", 50)), sink);
        assertEquals(TrainResult.Outcome.STOPPED, r.outcome());
    }

    @Test
    void the_network_gradients_match_central_differences() {
        Sequential net = new Sequential(new int[] {3}, new Dense(5, Initializer.named("he"), true), new ReLU(),
                new Dense(2, Initializer.named("xavier"), true)).initialize(new Rng(4));
        Rng rng = new Rng(9);
        Tensor x = Tensor.zeros(6, 3);
        for (int i = 0; i < x.size(); i++) x.data[i] = rng.uniform(-1f, 1f);
        GradientCheck.layer(net, x, 11);
    }
}
