package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SigmoidBinaryCrossEntropyTest {

    @Test
    void a_zero_logit_costs_ln_2_for_either_label() {
        SigmoidBinaryCrossEntropy bce = new SigmoidBinaryCrossEntropy();
        assertThat(bce.forward(Tensor.zeros(2, 1), new int[] {0, 1})).isCloseTo((float) Math.log(2), within(1e-7f));
        // sigmoid(0) = 0.5: gradients (0.5 - 0)/2 and (0.5 - 1)/2.
        assertThat(bce.backward().toArray()).containsExactly(0.25f, -0.25f);
    }

    @Test
    void loss_of_logit_2_matches_hand_computation() {
        SigmoidBinaryCrossEntropy bce = new SigmoidBinaryCrossEntropy();
        // t = 1: -log(sigmoid(2)) = log(1 + e^-2); t = 0: -log(1 - sigmoid(2)) = 2 + log(1 + e^-2).
        double softplus = Math.log(1 + Math.exp(-2));
        assertThat(bce.forward(Tensor.of(new float[] {2f}, 1, 1), new int[] {1})).isCloseTo((float) softplus, within(1e-6f));
        assertThat(bce.forward(Tensor.of(new float[] {2f}, 1, 1), new int[] {0})).isCloseTo((float) (2 + softplus), within(1e-6f));
        assertThat(bce.backward().at(0)).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-6f));
    }

    @Test
    void logits_of_magnitude_1000_give_finite_loss_and_gradient() {
        SigmoidBinaryCrossEntropy bce = new SigmoidBinaryCrossEntropy();
        // Wrong with certainty costs |x| = 1000 each, right with certainty costs 0: mean (1000 + 1000 + 0 + 0) / 4.
        float loss = bce.forward(Tensor.of(new float[] {1000f, -1000f, 1000f, -1000f}, 4, 1), new int[] {0, 1, 1, 0});
        assertThat(loss).isEqualTo(500f);
        assertThat(bce.backward().toArray()).containsExactly(0.25f, -0.25f, 0f, 0f);
    }

    @Test
    void gradient_of_one_logit_per_sample_matches_central_differences() {
        Tensor logits = LossGradients.random(new Rng(31), 2f, 5, 1);
        LossGradients.checkWithLabels("bce binary", new SigmoidBinaryCrossEntropy(), logits, new int[] {0, 1, 1, 0, 1});
    }

    @Test
    void gradient_with_one_hot_labels_over_several_columns_matches_central_differences() {
        Tensor logits = LossGradients.random(new Rng(32), 2f, 3, 4);
        LossGradients.checkWithLabels("bce one-vs-rest", new SigmoidBinaryCrossEntropy(), logits, new int[] {3, 0, 2});
    }

    @Test
    void gradient_with_multi_label_targets_matches_central_differences() {
        Tensor logits = LossGradients.random(new Rng(33), 2f, 2, 3);
        Tensor target = Tensor.of(new float[] {1, 0, 1, 0.3f, 1, 0}, 2, 3);
        LossGradients.checkWithTarget("bce multi-label", new SigmoidBinaryCrossEntropy(), logits, target);
    }

    @Test
    void a_single_logit_accepts_only_labels_0_and_1() {
        assertThatThrownBy(() -> new SigmoidBinaryCrossEntropy().forward(Tensor.zeros(1, 1), new int[] {2}))
                .hasMessageContaining("label 2 of sample 0 is outside [0, 2)");
    }
}
