package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LayerNormTest {

    @Test
    void each_sample_is_normalised_over_its_own_features() {
        Sequential net = LayerGradients.single(new int[] {3}, new LayerNorm(), 1);
        Tensor y = net.forward(Tensor.of(new float[] {1, 2, 3, 10, 10, 16}, 2, 3), false);
        // row 0: mean 2, variance 2/3; row 1: mean 12, variance 8
        double s0 = Math.sqrt(2.0 / 3 + 1e-5), s1 = Math.sqrt(8 + 1e-5);
        float[] expected = {(float) (-1 / s0), 0f, (float) (1 / s0), (float) (-2 / s1), (float) (-2 / s1), (float) (4 / s1)};
        for (int i = 0; i < 6; i++) assertThat(y.at(i)).isCloseTo(expected[i], within(1e-6f));
    }

    @Test
    void gamma_and_beta_have_the_per_sample_shape_and_apply_per_feature() {
        Sequential net = LayerGradients.single(new int[] {2}, new LayerNorm(), 1);
        assertThat(net.params().value("layernorm0.gamma").shape()).containsExactly(2);
        Tensor g = net.params().value("layernorm0.gamma"), b = net.params().value("layernorm0.beta");
        g.set(3f, 0);
        b.set(-1f, 1);
        Tensor y = net.forward(Tensor.of(new float[] {0, 2}, 1, 2), true);
        float unit = (float) (1 / Math.sqrt(1 + 1e-5));
        assertThat(y.at(0)).isCloseTo(-3 * unit, within(1e-6f));
        assertThat(y.at(1)).isCloseTo(unit - 1, within(1e-6f));
    }

    @Test
    void gradients_match_central_differences() {
        Sequential net = LayerGradients.single(new int[] {2, 3}, new LayerNorm(), 1);
        Tensor g = net.params().value("layernorm0.gamma"), b = net.params().value("layernorm0.beta");
        Tensor rg = LayerGradients.uniform(7, 0.5f, 1.5f, 6), rb = LayerGradients.uniform(8, -0.5f, 0.5f, 6);
        for (int i = 0; i < 6; i++) {
            g.data[g.offset + i] = rg.at(i);
            b.data[b.offset + i] = rb.at(i);
        }
        LayerGradients.check(net, LayerGradients.uniform(9, -2, 2, 3, 2, 3), 10);
    }
}
