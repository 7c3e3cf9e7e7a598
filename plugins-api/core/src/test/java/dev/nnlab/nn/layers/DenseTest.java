package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Xavier;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DenseTest {

    @Test
    void two_by_three_input_matches_hand_computed_products() {
        Sequential net = LayerGradients.single(new int[] {3}, new Dense(2), 1);
        // W (3, 2) = [[1, 0], [0, 1], [1, -1]], b = [0.5, -1]
        System.arraycopy(new float[] {1, 0, 0, 1, 1, -1}, 0, net.params().value("dense0.weight").data,
                net.params().entry("dense0.weight").offset(), 6);
        System.arraycopy(new float[] {0.5f, -1}, 0, net.params().values, net.params().entry("dense0.bias").offset(), 2);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);

        Tensor y = net.forward(x, true);
        // row 0: [1 + 3, 2 - 3] + b = [4.5, -2]; row 1: [4 + 6, 5 - 6] + b = [10.5, -2]
        assertThat(y.shape()).containsExactly(2, 2);
        assertThat(y.toArray()).containsExactly(4.5f, -2f, 10.5f, -2f);

        net.params().zeroGrad();
        Tensor dx = net.backward(Tensor.of(new float[] {1, 0, 0, 1}, 2, 2));
        // dy = I: dx = W^T rows, dW = X^T, db = column sums of I
        assertThat(dx.toArray()).containsExactly(1, 0, 1, 0, 1, -1);
        assertThat(net.params().grad("dense0.weight").toArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(net.params().grad("dense0.bias").toArray()).containsExactly(1, 1);
    }

    @Test
    void gradients_match_central_differences_for_a_flattened_input() {
        Sequential net = LayerGradients.single(new int[] {2, 3}, new Dense(4), 2);
        LayerGradients.check(net, LayerGradients.uniform(3, -1, 1, 3, 2, 3), 4);
    }

    @Test
    void gradients_match_central_differences_without_bias() {
        Sequential net = LayerGradients.single(new int[] {5}, new Dense(3, new Xavier(true), false), 5);
        assertThat(net.params().entries()).hasSize(1);
        LayerGradients.check(net, LayerGradients.uniform(6, -1, 1, 4, 5), 7);
    }

    @Test
    void default_initialisation_is_he_normal_weights_and_zero_bias() {
        int in = 200, out = 300;
        Sequential net = new Sequential(new int[] {in}, new Dense(out));
        net.params().value("dense0.bias").fill(3f);
        net.initialize(new Rng(11));
        Tensor w = net.params().value("dense0.weight");
        double ss = 0;
        for (int i = 0; i < w.size(); i++) ss += w.at(i) * w.at(i);
        assertThat(Math.sqrt(ss / w.size())).isCloseTo(Math.sqrt(2.0 / in), within(0.03 * Math.sqrt(2.0 / in)));
        assertThat(net.params().value("dense0.bias").toArray()).containsOnly(0f);
    }

    @Test
    void input_with_the_wrong_feature_count_is_refused() {
        Sequential net = LayerGradients.single(new int[] {3}, new Dense(2), 1);
        assertThatThrownBy(() -> net.forward(Tensor.zeros(2, 4), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 values per sample");
    }
}
