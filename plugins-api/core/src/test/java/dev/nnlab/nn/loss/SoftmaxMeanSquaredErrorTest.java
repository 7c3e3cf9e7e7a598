package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SoftmaxMeanSquaredErrorTest {

    @Test
    void equal_scores_give_the_squared_distance_of_the_uniform_distribution_from_the_one_hot() {
        SoftmaxMeanSquaredError loss = new SoftmaxMeanSquaredError();
        // p = (1/4, 1/4, 1/4, 1/4) against (1, 0, 0, 0): (9/16 + 3 * 1/16) / 4 = 3/16
        float l = loss.forward(Tensor.of(new float[] {0, 0, 0, 0}, 1, 4), new int[] {0});
        assertThat(l).isCloseTo(3f / 16, within(1e-7f));
        // a = 2 (p - t) / 4 = (-3/8, 1/8, 1/8, 1/8); sum_k p_k a_k = 0; dL/dx = p a = (-3/32, 1/32, 1/32, 1/32)
        assertThat(loss.backward().toArray()).containsExactly(new float[] {-3f / 32, 1f / 32, 1f / 32, 1f / 32}, within(1e-7f));
    }

    @Test
    void a_confidently_wrong_output_gets_a_far_smaller_gradient_than_under_cross_entropy() {
        Tensor wrong = Tensor.of(new float[] {-6, 6}, 1, 2);
        SoftmaxMeanSquaredError mse = new SoftmaxMeanSquaredError();
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        mse.forward(wrong, new int[] {0});
        ce.forward(wrong, new int[] {0});
        // p_true = 1/(1+e^12) ~ 6.1e-6: cross-entropy's gradient on the true score is p - 1 ~ -1,
        // the squared error's is p_true (a_0 - dot) = -2 p_true (1 - p_true)^2 ~ -1.2e-5 (C = 2 averages by 2: / 2).
        float g = mse.backward().toArray()[0];
        double pt = 1 / (1 + Math.exp(12));
        assertThat((double) g).isCloseTo(-2 * pt * (1 - pt) * (1 - pt), within(1e-9));
        assertThat(Math.abs(ce.backward().toArray()[0])).isGreaterThan(0.99f);
    }

    @Test
    void gradient_matches_central_differences() {
        Tensor out = LossGradients.random(new Rng(31), 1.5f, 3, 5);
        LossGradients.checkWithLabels("softmax_mse", new SoftmaxMeanSquaredError(), out, new int[] {4, 0, 2});
    }

    @Test
    void a_tail_row_of_one_class_has_no_error_and_no_gradient() {
        SoftmaxMeanSquaredError loss = new SoftmaxMeanSquaredError();
        assertThat(loss.forward(Tensor.of(new float[] {3f}, 1, 1), new int[] {0})).isEqualTo(0f);
        assertThat(loss.backward().toArray()).containsExactly(0f);
    }
}
