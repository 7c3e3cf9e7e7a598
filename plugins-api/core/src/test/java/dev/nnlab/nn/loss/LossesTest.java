package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LossesTest {

    @Test
    void every_configuration_name_creates_the_loss_of_that_name() {
        assertThat(Losses.create("cross_entropy")).isInstanceOf(SoftmaxCrossEntropy.class);
        assertThat(Losses.create("hinge")).isInstanceOf(MulticlassHinge.class);
        assertThat(Losses.create("mse")).isInstanceOf(MeanSquaredError.class);
        assertThat(Losses.create("bce")).isInstanceOf(SigmoidBinaryCrossEntropy.class);
        assertThat(Losses.create("softmax_mse")).isInstanceOf(SoftmaxMeanSquaredError.class);
        for (String name : Losses.NAMES) assertThat(Losses.create(name).name()).isEqualTo(name);
    }

    @Test
    void an_unknown_name_is_refused_listing_the_allowed_ones() {
        assertThatThrownBy(() -> Losses.create("huber"))
                .hasMessageContaining("'huber'").hasMessageContaining("cross_entropy").hasMessageContaining("bce");
    }

    @Test
    void accuracy_uses_the_row_argmax() {
        Tensor out = Tensor.of(new float[] {0.1f, 0.7f, 0.2f, 0.9f, 0.05f, 0.05f, 0.3f, 0.3f, 0.4f}, 3, 3);
        assertThat(Accuracy.argmax(out, 0)).isEqualTo(1);
        assertThat(Accuracy.correct(out, new int[] {1, 0, 0})).isEqualTo(2);
        assertThat(Accuracy.of(out, new int[] {1, 0, 0})).isEqualTo(2f / 3);
    }

    @Test
    void accuracy_of_one_logit_per_sample_thresholds_at_zero() {
        Tensor out = Tensor.of(new float[] {2.5f, -0.1f, 0f, 0.3f}, 4, 1);
        // Predictions 1, 0, 0 (a zero logit is p = 0.5, not > 0.5), 1.
        assertThat(Accuracy.of(out, new int[] {1, 0, 1, 1})).isEqualTo(0.75f);
    }
}
