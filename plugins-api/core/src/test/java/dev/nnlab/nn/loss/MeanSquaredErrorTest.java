package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MeanSquaredErrorTest {

    @Test
    void labels_regress_the_one_hot_vector_averaged_over_all_elements() {
        MeanSquaredError mse = new MeanSquaredError();
        // Output (0.5, 0.2, -0.1) vs one-hot (1, 0, 0): diffs (-0.5, 0.2, -0.1), squares 0.25 + 0.04 + 0.01 = 0.30, / 3.
        float loss = mse.forward(Tensor.of(new float[] {0.5f, 0.2f, -0.1f}, 1, 3), new int[] {0});
        assertThat(loss).isCloseTo(0.1f, within(1e-6f));
        // dL/dx = 2 d / (N C) = 2 d / 3.
        assertThat(mse.backward().toArray()).containsExactly(new float[] {-1f / 3, 0.4f / 3, -0.2f / 3}, within(1e-6f));
    }

    @Test
    void the_mean_is_over_all_elements_not_over_samples() {
        MeanSquaredError mse = new MeanSquaredError();
        Tensor out = Tensor.zeros(2, 2);
        Tensor target = Tensor.of(new float[] {1, 1, 1, 1}, 2, 2);
        // Four squared errors of 1: mean over elements 1 (a per-sample sum would give 2).
        assertThat(mse.forward(out, target)).isEqualTo(1f);
        assertThat(mse.backward().toArray()).containsExactly(-0.5f, -0.5f, -0.5f, -0.5f);
    }

    @Test
    void gradient_with_labels_matches_central_differences() {
        Tensor out = LossGradients.random(new Rng(21), 1f, 3, 4);
        LossGradients.checkWithLabels("mse labels", new MeanSquaredError(), out, new int[] {3, 0, 1});
    }

    @Test
    void gradient_with_a_target_tensor_matches_central_differences() {
        Rng rng = new Rng(22);
        Tensor out = LossGradients.random(rng, 1f, 4, 2);
        Tensor target = LossGradients.random(rng, 1f, 4, 2);
        LossGradients.checkWithTarget("mse target", new MeanSquaredError(), out, target);
    }
}
