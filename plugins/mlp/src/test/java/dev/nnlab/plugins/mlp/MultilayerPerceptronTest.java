package dev.nnlab.plugins.mlp;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.FeatureScale;
import dev.nnlab.data.Spirals;
import dev.nnlab.data.Xor;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.EarlyStopping;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.Split;
import dev.nnlab.training.WeightImages;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MultilayerPerceptronTest {
    static final MultilayerPerceptron MLP = new MultilayerPerceptron();

    static TrainingJob job(Dataset all, Map<String, Object> given, EarlyStopping early) {
        Split s = Split.stratified(all.labels(), 0.7, 0.15, 3);
        Map<String, Object> params = MLP.params().resolve(given, "$.params");
        return new TrainingJob(params, all.subset("train", s.train()), all.subset("val", s.val()), all.subset("test", s.test()), early, 1);
    }

    static Map<String, Object> p(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void every_activation_learns_the_spiral_better_than_chance() {
        Dataset spiral = Spirals.generate(3, 100, 0.2, 1);
        for (String act : MultilayerPerceptron.ACTIVATIONS) {
            RecordingSink sink = new RecordingSink();
            TrainResult r = MLP.train(job(spiral, p("activation", act, "hidden", List.of(64), "optimizer", "adam", "lr", 0.01,
                    "epochs", 60, "batchSize", 32, "init", act.equals("sigmoid") || act.equals("tanh") ? "xavier" : "he"), null), sink);
            assertThat(r.outcome()).as(act).isEqualTo(TrainResult.Outcome.FINISHED);
            // chance is 1/3; sigmoid is the slowest learner here (saturation) and lands near 0.57
            assertThat(sink.last("train_acc")).as(act + " train accuracy").isGreaterThan(0.5);
            assertThat(sink.values("train_loss").getLast()).as(act).isLessThan(sink.values("train_loss").getFirst());
        }
    }

    @Test
    void reports_the_standard_metrics_layer_statistics_and_the_initial_loss_check() {
        RecordingSink sink = new RecordingSink();
        MLP.train(job(Spirals.generate(3, 100, 0.2, 1), p("epochs", 2, "logEvery", 5, "batchNorm", true, "dropout", 0.1), null), sink);
        assertThat(sink.metrics()).extracting(RecordingSink.Metric::key)
                .contains("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc", "lr");
        assertThat(sink.layerStats()).extracting(RecordingSink.Stat::stat)
                .contains("dead_fraction", "act_mean", "act_std", "grad_norm", "weight_norm", "update_ratio");
        assertThat(sink.hasEvent("initial_loss_ok") || sink.hasEvent("initial_loss")).isTrue();
    }

    @Test
    void a_huge_gaussian_init_is_flagged_by_the_initial_loss_check() {
        RecordingSink sink = new RecordingSink();
        MLP.train(job(Spirals.generate(3, 100, 0.2, 1), p("epochs", 1, "init", "gaussian", "initStd", 5.0, "hidden", List.of(200)), null), sink);
        assertThat(sink.hasEvent("initial_loss")).isTrue();
    }

    @Test
    void an_absurd_learning_rate_ends_the_run_as_diverged() {
        RecordingSink sink = new RecordingSink();
        TrainResult r = MLP.train(job(Spirals.generate(3, 100, 0.2, 1),
                p("epochs", 30, "optimizer", "sgd", "lr", 90.0, "activation", "tanh", "init", "gaussian", "initStd", 3.0, "loss", "mse"), null), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.DIVERGED);
        assertThat(sink.hasEvent("nan")).isTrue();
    }

    @Test
    void early_stopping_stops_before_the_last_epoch_when_validation_stalls() {
        RecordingSink sink = new RecordingSink();
        MLP.train(job(Xor.generate(40, 0.5, 2), p("epochs", 200, "optimizer", "adam", "lr", 0.01, "hidden", List.of(256, 256)),
                new EarlyStopping("val_loss", 3, 0.0)), sink);
        assertThat(sink.hasEvent("early_stopping")).isTrue();
        assertThat(sink.values("val_loss").size()).isLessThan(200);
        assertThat(sink.values("test_acc")).hasSize(1);
    }

    @Test
    void a_stop_request_ends_the_run_as_stopped() {
        RecordingSink sink = new RecordingSink();
        sink.requestStop();
        TrainResult r = MLP.train(job(Spirals.generate(3, 100, 0.2, 1), p("epochs", 5), null), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.STOPPED);
    }

    @Test
    void image_inputs_store_the_first_layer_weights_as_a_grid_of_at_most_100_tiles() throws IOException {
        int n = 120;
        float[] x = new float[n * 64];
        int[] labels = new int[n];
        Rng rng = new Rng(2);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int p = 0; p < 64; p++) x[i * 64 + p] = rng.nextFloat() + (labels[i] == 1 && p < 32 ? 1f : 0f);
        }
        Dataset images = new Dataset("halves", Tensor.of(x, n, 1, 8, 8), labels, List.of("top", "plain"), n,
                FeatureScale.UNIT_INTERVAL, "sha256:test");
        RecordingSink sink = new RecordingSink();
        TrainResult r = MLP.train(job(images, p("epochs", 2, "hidden", List.of(130, 10)), null), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);

        RecordingSink.Artifact a = sink.artifact(MultilayerPerceptron.FIRST_LAYER);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(a.bytes()));
        int tile = 8 * WeightImages.SCALE, gap = WeightImages.GAP;
        // 130 hidden units, pictured up to 100: ten rows of ten.
        assertThat(img.getWidth()).isEqualTo(10 * tile + 11 * gap);
        assertThat(img.getHeight()).isEqualTo(10 * tile + 11 * gap);
    }

    @Test
    void vector_inputs_get_no_weight_picture() {
        RecordingSink sink = new RecordingSink();
        MLP.train(job(Spirals.generate(3, 50, 0.2, 1), p("epochs", 1), null), sink);
        assertThat(sink.artifact(MultilayerPerceptron.FIRST_LAYER)).isNull();
        assertThat(sink.artifact("final_weights.ckpt")).isNotNull();
    }
}
