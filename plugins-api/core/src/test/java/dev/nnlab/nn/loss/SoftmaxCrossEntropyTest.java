package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SoftmaxCrossEntropyTest {

    @Test
    void uniform_logits_over_c_classes_cost_exactly_ln_c() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        Tensor zeros = Tensor.zeros(3, 5);
        assertThat(ce.forward(zeros, new int[] {0, 2, 4})).isCloseTo((float) Math.log(5), within(1e-6f));
        Tensor shifted = Tensor.zeros(2, 7);
        shifted.fill(42.5f);
        assertThat(ce.forward(shifted, new int[] {6, 1})).isCloseTo((float) Math.log(7), within(1e-6f));
    }

    @Test
    void loss_and_gradient_of_one_sample_match_hand_computation() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        // logits (1, 2, 3), true class 0: L = ln(e^1 + e^2 + e^3) - 1, dL/dx = softmax - onehot.
        double s = Math.exp(1) + Math.exp(2) + Math.exp(3);
        float loss = ce.forward(Tensor.of(new float[] {1, 2, 3}, 1, 3), new int[] {0});
        assertThat(loss).isCloseTo((float) (Math.log(s) - 1), within(1e-6f));
        Tensor g = ce.backward();
        assertThat(g.at(0)).isCloseTo((float) (Math.exp(1) / s - 1), within(1e-6f));
        assertThat(g.at(1)).isCloseTo((float) (Math.exp(2) / s), within(1e-6f));
        assertThat(g.at(2)).isCloseTo((float) (Math.exp(3) / s), within(1e-6f));
        assertThat(ce.predictedClass(0)).isEqualTo(2);
    }

    @Test
    void gradient_is_divided_by_batch_size() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        // Two identical uniform rows over 2 classes: softmax 0.5, so the true-class entry is (0.5 - 1) / 2.
        ce.forward(Tensor.zeros(2, 2), new int[] {1, 1});
        assertThat(ce.backward().toArray()).containsExactly(0.25f, -0.25f, 0.25f, -0.25f);
    }

    @Test
    void rows_in_blocks_across_the_lanes_give_the_bits_of_rows_one_at_a_time() {
        // Fewer classes than a vector's lanes: whole blocks of L rows go through SoftmaxNarrowRows, the rest
        // row by row. A row's loss, probabilities and gradient must not depend on which path it took.
        Rng rng = new Rng(3);
        for (int c : new int[] {1, 2, 10, 15, 17}) {
            for (int n : new int[] {1, 16, 37, 64}) {
                Tensor logits = LossGradients.random(rng, 30f, n, c);
                int[] labels = new int[n];
                for (int i = 0; i < n; i++) labels[i] = (i * 7 + 3) % c;
                SoftmaxCrossEntropy batch = new SoftmaxCrossEntropy();
                float loss = batch.forward(logits, labels);
                float[] probs = batch.probabilities().toArray(), grad = batch.backward().toArray();
                double lossSum = 0;
                for (int i = 0; i < n; i++) {
                    SoftmaxCrossEntropy one = new SoftmaxCrossEntropy();
                    Tensor row = Tensor.of(java.util.Arrays.copyOfRange(logits.toArray(), i * c, (i + 1) * c), 1, c);
                    lossSum += one.forward(row, new int[] {labels[i]});
                    float[] p = one.probabilities().toArray();
                    float invN = 1f / n;
                    for (int j = 0; j < c; j++) {
                        assertThat(probs[i * c + j]).as("c=%d n=%d p[%d][%d]", c, n, i, j).isEqualTo(p[j]);
                        float g = p[j] * invN;
                        if (j == labels[i]) g -= invN;
                        assertThat(grad[i * c + j]).as("c=%d n=%d g[%d][%d]", c, n, i, j).isEqualTo(g);
                    }
                }
                assertThat((double) loss).as("c=%d n=%d loss", c, n).isCloseTo(lossSum / n, within(1e-5 * Math.max(1, lossSum / n)));
            }
        }
    }

    @Test
    void gradient_with_labels_matches_central_differences() {
        Rng rng = new Rng(11);
        Tensor logits = LossGradients.random(rng, 2f, 4, 5);
        LossGradients.checkWithLabels("cross_entropy", new SoftmaxCrossEntropy(), logits, new int[] {0, 3, 4, 3});
    }

    @Test
    void gradient_with_soft_targets_matches_central_differences() {
        Rng rng = new Rng(12);
        Tensor logits = LossGradients.random(rng, 2f, 3, 4);
        // Rows deliberately not summing to 1, so the rowsum(T) * softmax term is exercised.
        Tensor target = Tensor.of(new float[] {0.7f, 0.1f, 0.1f, 0.1f, 0f, 0.5f, 0.5f, 0f, 0.2f, 0.2f, 0.9f, 0f}, 3, 4);
        LossGradients.checkWithTarget("cross_entropy soft", new SoftmaxCrossEntropy(), logits, target);
    }

    @Test
    void one_hot_targets_give_the_same_loss_as_labels() {
        Tensor logits = LossGradients.random(new Rng(13), 1f, 2, 3);
        Tensor oneHot = Tensor.of(new float[] {0, 1, 0, 0, 0, 1}, 2, 3);
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        float withLabels = ce.forward(logits, new int[] {1, 2});
        float[] gLabels = ce.backward().toArray();
        assertThat(ce.forward(logits, oneHot)).isCloseTo(withLabels, within(1e-6f));
        assertThat(ce.backward().toArray()).containsExactly(gLabels, within(1e-7f));
    }

    @Test
    void logits_of_magnitude_1000_give_finite_loss_and_gradient() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        // The true class trails the leader by 2000: L = logsumexp - x_y = 1000 - (-1000), softmax = (1, 0, 0).
        float loss = ce.forward(Tensor.of(new float[] {1000f, -1000f, 0f, 1000f, 999f, -1000f}, 2, 3), new int[] {1, 0});
        assertThat(Float.isFinite(loss)).isTrue();
        // Row 2: logsumexp(1000, 999) - 1000 = ln(1 + e^-1) = 0.3132617.
        assertThat(loss).isCloseTo((float) ((2000 + Math.log1p(Math.exp(-1))) / 2), within(1e-4f));
        float[] g = ce.backward().toArray();
        for (float v : g) assertThat(Float.isFinite(v)).isTrue();
        assertThat(g[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(g[1]).isCloseTo(-0.5f, within(1e-6f));
        for (float p : ce.probabilities().toArray()) assertThat(Float.isFinite(p)).isTrue();
    }

    @Test
    void probabilities_sum_to_one_per_row() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        ce.forward(LossGradients.random(new Rng(14), 3f, 4, 6), new int[] {0, 1, 2, 3});
        Tensor p = ce.probabilities();
        for (int i = 0; i < 4; i++) {
            double s = 0;
            for (int j = 0; j < 6; j++) s += p.get(i, j);
            assertThat(s).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void a_label_outside_the_classes_is_refused_with_its_sample_index() {
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        assertThatThrownBy(() -> ce.forward(Tensor.zeros(2, 3), new int[] {0, 3}))
                .hasMessageContaining("label 3 of sample 1 is outside [0, 3)");
        assertThatThrownBy(() -> ce.forward(Tensor.zeros(2, 3), new int[] {0}))
                .hasMessageContaining("1 labels for a batch of 2");
    }

    @Test
    void backward_before_forward_is_an_error() {
        assertThatThrownBy(() -> new SoftmaxCrossEntropy().backward()).isInstanceOf(IllegalStateException.class);
    }
}
