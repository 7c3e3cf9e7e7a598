package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Xavier;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ResidualTest {

    @Test
    void identity_block_adds_its_input_to_the_body_output_by_hand() {
        Sequential net = LayerGradients.single(new int[] {2}, new Residual(new Dense(2)), 1);
        Parameters p = net.params();
        // W = [[1, 2], [3, 4]] (in x out), b = [0.5, -1]
        System.arraycopy(new float[] {1, 2, 3, 4}, 0, p.values, p.entry("res0.dense0.weight").offset(), 4);
        System.arraycopy(new float[] {0.5f, -1}, 0, p.values, p.entry("res0.dense0.bias").offset(), 2);
        Tensor y = net.forward(Tensor.of(new float[] {1, -2}, 1, 2), true);
        // x W + b = [1 - 6 + 0.5, 2 - 8 - 1] = [-4.5, -7];  + x = [-3.5, -9]
        assertThat(y.toArray()).containsExactly(new float[] {-3.5f, -9f}, within(1e-6f));
        p.zeroGrad();
        Tensor dx = net.backward(Tensor.of(new float[] {1, 1}, 1, 2));
        // dx = dy W^T + dy = [1 + 2, 3 + 4] + [1, 1]
        assertThat(dx.toArray()).containsExactly(new float[] {4f, 8f}, within(1e-6f));
    }

    @Test
    void identity_block_passes_the_gradient_check() {
        Sequential net = LayerGradients.single(new int[] {4}, new Residual(new Dense(4), new Tanh(), new Dense(4)), 3);
        LayerGradients.check(net, LayerGradients.uniform(2, -1, 1, 3, 4), 11);
    }

    @Test
    void projection_block_passes_the_gradient_check_inside_a_sequential() {
        Sequential net = new Sequential(new int[] {5},
                new Dense(4), new Tanh(),
                Residual.withProjection(new Dense(3, new Xavier(false), false), new Dense(3), new ELU()),
                new Dense(2)).initialize(new Rng(4));
        assertThat(net.params().entries()).extracting(Parameters.Entry::name).contains(
                "res2.dense0.weight", "res2.dense0.bias", "res2.shortcut.weight", "dense3.weight");
        LayerGradients.check(net, LayerGradients.uniform(5, -1, 1, 3, 5), 12);
    }

    @Test
    void nested_layers_are_listed_with_their_names_and_latest_outputs() {
        Sequential net = new Sequential(new int[] {3},
                new Dense(3), Residual.withProjection(new Dense(2, new Xavier(false), false), new Dense(2), new ReLU()), new Dense(2))
                .initialize(new Rng(1));
        assertThat(net.allLayers()).extracting(Layer.Nested::name)
                .containsExactly("dense0", "res1", "res1.dense0", "res1.relu1", "res1.shortcut", "dense2");
        assertThat(net.allLayers().get(3).lastOutput()).isNull();
        Tensor x = LayerGradients.uniform(1, -1, 1, 4, 3);
        net.forward(x, true);
        Layer.Nested relu = net.allLayers().get(3);
        assertThat(relu.layer()).isInstanceOf(ReLU.class);
        assertThat(relu.lastOutput().shape()).containsExactly(4, 2);
        for (int i = 0; i < relu.lastOutput().size(); i++) assertThat(relu.lastOutput().at(i)).isGreaterThanOrEqualTo(0f);
    }

    @Test
    void a_body_that_changes_the_shape_needs_a_projection() {
        assertThatThrownBy(() -> new Sequential(new int[] {3}, new Residual(new Dense(2))))
                .hasMessageContaining("res0").hasMessageContaining("[3] to [2]").hasMessageContaining("Residual.withProjection");
    }
}
