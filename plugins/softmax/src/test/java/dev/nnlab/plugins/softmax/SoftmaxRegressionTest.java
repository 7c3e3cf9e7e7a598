package dev.nnlab.plugins.softmax;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.training.Split;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SoftmaxRegressionTest {
    static final SoftmaxRegression FAMILY = new SoftmaxRegression();

    static RecordingSink train(Dataset all, Map<String, Object> given) {
        Split s = Split.stratified(all.labels(), 0.7, 0.15, 3);
        TrainingJob job = new TrainingJob(FAMILY.params().resolve(given, "$.params"), all.subset("train", s.train()),
                all.subset("val", s.val()), all.subset("test", s.test()), null, 1);
        RecordingSink sink = new RecordingSink();
        TrainResult r = FAMILY.train(job, sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        return sink;
    }

    static Map<String, Object> p(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void separable_blobs_are_classified_and_the_first_loss_is_ln_c() {
        Dataset blobs = GaussianBlobs.generate(4, 5, 100, 0.5, 1);
        RecordingSink sink = train(blobs, p("epochs", 20, "optimizer", "momentum", "lr", 0.05, "logEvery", 1));
        assertThat(sink.last("test_acc")).isGreaterThan(0.9);
        // near-zero initial weights: every class equally likely
        assertThat(sink.values("train_loss").getFirst()).isCloseTo(Math.log(4), org.assertj.core.data.Offset.offset(0.1));
        assertThat(sink.hasEvent("initial_loss_ok")).isTrue();
    }

    @Test
    void two_classes_train_a_binary_logistic_regression_starting_at_ln_2() {
        Dataset blobs = GaussianBlobs.generate(2, 3, 100, 0.7, 5);
        RecordingSink sink = train(blobs, p("epochs", 10, "lr", 0.1, "logEvery", 1));
        assertThat(sink.values("train_loss").getFirst()).isCloseTo(Math.log(2), org.assertj.core.data.Offset.offset(0.05));
        assertThat(sink.last("test_acc")).isGreaterThan(0.85);
    }

    @Test
    void the_hinge_loss_trains_a_multiclass_svm_starting_near_c_minus_1() {
        Dataset blobs = GaussianBlobs.generate(3, 4, 100, 0.5, 2);
        RecordingSink sink = train(blobs, p("epochs", 10, "loss", "hinge", "lr", 0.05, "logEvery", 1));
        assertThat(sink.values("train_loss").getFirst()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(sink.last("test_acc")).isGreaterThan(0.9);
    }
}
