package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MulticlassHingeTest {

    @Test
    void cs231n_cat_example_costs_2_9() {
        MulticlassHinge hinge = new MulticlassHinge();
        // Scores cat 3.2, car 5.1, frog -1.7, true class cat:
        // max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1) = 2.9 + 0.
        float loss = hinge.forward(Tensor.of(new float[] {3.2f, 5.1f, -1.7f}, 1, 3), new int[] {0});
        assertThat(loss).isCloseTo(2.9f, within(1e-5f));
        // One violator (car): +1 for it, -1 for the true class, 0 for frog.
        assertThat(hinge.backward().toArray()).containsExactly(-1f, 1f, 0f);
    }

    @Test
    void every_violator_adds_to_the_true_class_gradient_and_the_batch_averages() {
        MulticlassHinge hinge = new MulticlassHinge();
        // Row 0: y=2, terms 1-0+1=2 and 0.5-0+1=1.5 -> 3.5, gradient (1, 1, -2)/2.
        // Row 1: y=0, scores (5, 1, 2): terms 1-5+1<0 and 2-5+1<0 -> 0, gradient 0.
        float loss = hinge.forward(Tensor.of(new float[] {1f, 0.5f, 0f, 5f, 1f, 2f}, 2, 3), new int[] {2, 0});
        assertThat(loss).isCloseTo(3.5f / 2, within(1e-6f));
        assertThat(hinge.backward().toArray()).containsExactly(0.5f, 0.5f, -1f, 0f, 0f, 0f);
    }

    @Test
    void a_custom_margin_is_used() {
        MulticlassHinge hinge = new MulticlassHinge(10f);
        // CS231n's delta = 10 example: scores (13, -7, 11), y = 0: max(0, -7-13+10) + max(0, 11-13+10) = 8.
        assertThat(hinge.forward(Tensor.of(new float[] {13f, -7f, 11f}, 1, 3), new int[] {0})).isEqualTo(8f);
        assertThatThrownBy(() -> new MulticlassHinge(0f)).hasMessageContaining("margin = 0.0");
    }

    @Test
    void gradient_matches_central_differences_away_from_the_kinks() {
        // Every margin term x_j - x_y + 1 is at least 0.15 away from 0, farther than the 1e-2 probe.
        Tensor scores = Tensor.of(new float[] {
                0.3f, 1.8f, -0.9f, 0.6f,
                2.1f, 0.4f, 1.7f, -1.2f,
                -0.5f, 0.2f, 0.9f, 1.4f}, 3, 4);
        LossGradients.checkWithLabels("hinge", new MulticlassHinge(), scores, new int[] {0, 2, 3});
    }
}
