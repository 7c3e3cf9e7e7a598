package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed values, gradient checks and monitor flags of the element-wise activations. */
class ActivationTest {

    private static float[] apply(Activation a, float... x) {
        Sequential net = LayerGradients.single(new int[] {x.length}, a, 1);
        return net.forward(Tensor.of(x.clone(), 1, x.length), true).toArray();
    }

    private static float[] slope(Activation a, float... x) {
        Sequential net = LayerGradients.single(new int[] {x.length}, a, 1);
        net.forward(Tensor.of(x.clone(), 1, x.length), true);
        float[] ones = new float[x.length];
        Arrays.fill(ones, 1f);
        return net.backward(Tensor.of(ones, 1, x.length)).toArray();
    }

    @Test
    void sigmoid_of_zero_is_one_half_and_its_slope_one_quarter() {
        assertThat(apply(new Sigmoid(), 0f)).containsExactly(0.5f);
        assertThat(slope(new Sigmoid(), 0f)).containsExactly(0.25f);
        assertThat(apply(new Sigmoid(), 2f)[0]).isCloseTo((float) (1 / (1 + Math.exp(-2))), within(1e-7f));
    }

    @Test
    void sigmoid_neither_overflows_nor_returns_nan_far_from_zero() {
        float[] y = apply(new Sigmoid(), -1000f, -90f, 90f, 1000f);
        assertThat(y).containsExactly(0f, (float) Math.exp(-90), 1f, 1f);
        assertThat(slope(new Sigmoid(), -1000f, 1000f)).containsExactly(0f, 0f);
    }

    @Test
    void tanh_matches_the_math_library_and_its_slope_is_one_minus_y_squared() {
        float t = (float) Math.tanh(0.5);
        assertThat(apply(new Tanh(), 0.5f, 0f)).containsExactly(t, 0f);
        assertThat(slope(new Tanh(), 0.5f)[0]).isCloseTo(1 - t * t, within(1e-7f));
    }

    @Test
    void relu_family_values_on_both_sides_of_zero() {
        assertThat(apply(new ReLU(), -2f, 3f)).containsExactly(0f, 3f);
        assertThat(apply(new LeakyReLU(), -2f, 3f)).containsExactly(-0.02f, 3f);
        assertThat(apply(new LeakyReLU(0.2f), -2f)).containsExactly(-0.4f);
        assertThat(slope(new LeakyReLU(0.2f), -2f, 3f)).containsExactly(0.2f, 1f);
        assertThat(slope(new ReLU(), -2f, 3f)).containsExactly(0f, 1f);
    }

    @Test
    void elu_of_minus_one_is_alpha_times_e_to_the_minus_one_minus_one() {
        float alpha = 1.5f;
        assertThat(apply(new ELU(alpha), -1f, 2f)[0]).isCloseTo((float) (alpha * (Math.exp(-1) - 1)), within(1e-6f));
        assertThat(apply(new ELU(alpha), -1f, 2f)[1]).isEqualTo(2f);
        assertThat(apply(new ELU(), -1f)[0]).isCloseTo((float) (Math.exp(-1) - 1), within(1e-6f));
        // slope on the negative side: alpha * e^x
        assertThat(slope(new ELU(alpha), -1f)[0]).isCloseTo((float) (alpha * Math.exp(-1)), within(1e-6f));
    }

    @Test
    void smooth_activations_match_central_differences() {
        Tensor x = LayerGradients.uniform(1, -3, 3, 4, 5);
        LayerGradients.check(LayerGradients.single(new int[] {5}, new Sigmoid(), 1), x, 2);
        LayerGradients.check(LayerGradients.single(new int[] {5}, new Tanh(), 1), x, 3);
    }

    @Test
    void relu_family_matches_central_differences_away_from_the_kink() {
        Tensor x = LayerGradients.awayFromZero(4, 0.05f, 3, 2, 4);
        int[] shape = {2, 4};
        LayerGradients.check(LayerGradients.single(shape, new ReLU(), 1), x, 5);
        LayerGradients.check(LayerGradients.single(shape, new LeakyReLU(0.1f), 1), x, 6);
        LayerGradients.check(LayerGradients.single(shape, new ELU(), 1), x, 7);
        LayerGradients.check(LayerGradients.single(shape, new ELU(0.5f), 1), x, 8);
    }

    @Test
    void only_units_whose_inactive_output_is_exactly_zero_can_die() {
        assertThat(new ReLU().canDie()).isTrue();
        assertThat(new LeakyReLU(0f).canDie()).as("slope 0 is a ReLU").isTrue();
        assertThat(new LeakyReLU().canDie()).as("slope 0.01 still passes gradient").isFalse();
        assertThat(new ELU().canDie()).isFalse();
        assertThat(new Maxout(2).canDie()).isFalse();
        assertThat(new Tanh().canDie()).isFalse();

        Sequential prelu = new Sequential(new int[] {3}, new PReLU());
        prelu.initialize(new Rng(1));
        PReLU layer = (PReLU) prelu.layer(0);
        assertThat(layer.canDie()).as("slopes 0.25").isFalse();
        Arrays.fill(prelu.params().values, 0f);
        assertThat(layer.canDie()).as("every slope 0").isTrue();
        prelu.params().values[1] = 1e-6f;
        assertThat(layer.canDie()).as("one slope not 0").isFalse();
    }

    @Test
    void monitor_flags_follow_each_activation_family() {
        assertThat(new ReLU().reluFamily()).isTrue();
        assertThat(new LeakyReLU().reluFamily()).isTrue();
        assertThat(new ELU().reluFamily()).isTrue();
        assertThat(new Sigmoid().reluFamily()).isFalse();
        assertThat(new Tanh().reluFamily()).isFalse();

        assertThat(new ReLU().inactive(0f)).isTrue();
        assertThat(new ReLU().inactive(0.01f)).isFalse();
        assertThat(new LeakyReLU().inactive(-0.01f)).isTrue();
        assertThat(new ELU().inactive(-0.5f)).isTrue();
        assertThat(new Tanh().inactive(-0.5f)).as("tanh units do not die, they saturate").isFalse();
        assertThat(new Sigmoid().inactive(0f)).isFalse();

        assertThat(new Sigmoid().saturated(0.97f)).isTrue();
        assertThat(new Sigmoid().saturated(0.03f)).isTrue();
        assertThat(new Sigmoid().saturated(0.5f)).isFalse();
        assertThat(new Tanh().saturated(-0.96f)).isTrue();
        assertThat(new Tanh().saturated(0.9f)).isFalse();
        assertThat(new ReLU().saturated(100f)).isFalse();
    }

    @Test
    void negative_slopes_are_refused_naming_the_value() {
        assertThatThrownBy(() -> new LeakyReLU(-0.1f))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> new ELU(Float.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
    }
}
