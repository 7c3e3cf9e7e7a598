package dev.nnlab.plugins.softmax;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.GaussianBlobs;
import dev.nnlab.data.FeatureScale;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.WeightImages;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.training.Split;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
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

    /**
     * 28x28 "digits" of 10 classes: class k is noise plus a bright 6x6 square at its own place
     * (two rows of five), so a linear model's template for k should light up exactly there.
     */
    static Dataset squares(int perClass, long seed) {
        Rng rng = new Rng(seed);
        int n = 10 * perClass;
        float[] x = new float[n * 784];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            for (int p = 0; p < 784; p++) x[i * 784 + p] = 0.3f * rng.nextFloat();
            for (int y = top(k); y < top(k) + 6; y++) for (int c = left(k); c < left(k) + 6; c++) x[i * 784 + y * 28 + c] += 0.7f;
        }
        List<String> names = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return new Dataset("squares", Tensor.of(x, n, 1, 28, 28), labels, names, n, FeatureScale.UNIT_INTERVAL, "sha256:test");
    }

    static int top(int k) { return k < 5 ? 4 : 17; }
    static int left(int k) { return 1 + (k % 5) * 5; }

    @Test
    void image_inputs_store_the_ten_class_templates_as_one_png_lit_where_each_class_is_bright() throws IOException {
        RecordingSink sink = train(squares(30, 4), p("epochs", 5, "optimizer", "momentum", "lr", 0.05));
        RecordingSink.Artifact a = sink.artifact(SoftmaxRegression.TEMPLATES);
        assertThat(a).as("artifacts: %s", sink.artifacts()).isNotNull();
        assertThat(a.mediaType()).isEqualTo("image/png");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(a.bytes()));
        int tile = 28 * WeightImages.SCALE, gap = WeightImages.GAP;
        assertThat(img.getWidth()).isEqualTo(10 * tile + 11 * gap);
        assertThat(img.getHeight()).isEqualTo(tile + 2 * gap);
        for (int k = 0; k < 10; k++) {
            int x0 = gap + k * (tile + gap), y0 = gap;
            double inside = 0, outside = 0;
            int nIn = 0, nOut = 0, min = 255, max = 0;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int level = img.getRaster().getSample(x0 + x * WeightImages.SCALE, y0 + y * WeightImages.SCALE, 0);
                    min = Math.min(min, level);
                    max = Math.max(max, level);
                    boolean in = y >= top(k) && y < top(k) + 6 && x >= left(k) && x < left(k) + 6;
                    if (in) { inside += level; nIn++; } else { outside += level; nOut++; }
                }
            }
            assertThat(max - min).as("template %d is not constant", k).isGreaterThan(100);
            assertThat(inside / nIn).as("template %d is brighter on its own square", k).isGreaterThan(outside / nOut + 60);
        }
    }

    @Test
    void vector_inputs_get_no_template_picture() {
        RecordingSink sink = train(GaussianBlobs.generate(3, 4, 50, 0.5, 1), p("epochs", 1));
        assertThat(sink.artifact(SoftmaxRegression.TEMPLATES)).isNull();
        assertThat(sink.artifact("confusion_matrix.json")).isNotNull();
    }
}
