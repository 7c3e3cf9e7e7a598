package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ResNet basic block (conv-BN-act-conv-BN plus a shortcut, then act) assembled from core layers, as the resnet family builds it. */
class BasicBlockTest {

    /**
     * The block's body with tanh where the family has ReLU: batch norm centres the values the activation gets, so
     * dozens sit within the check's 0.01 nudge of ReLU's kink and the finite difference is wrong there, not the
     * block. The ReLU layer has its own gradient check.
     */
    private static Layer[] body(int out, int stride) {
        return new Layer[] {
                new Conv2d(out, new WindowGeometry(3, stride, 1), false, new He(), true), new BatchNorm(), new Tanh(),
                new Conv2d(out, new WindowGeometry(3, 1, 1), false, new He(), true), new BatchNorm()};
    }

    @Test
    void zero_pad_shortcut_samples_every_second_pixel_into_the_first_channels_and_zeros_the_rest() {
        Sequential net = LayerGradients.single(new int[] {1, 3, 3}, new ZeroPadShortcut(2, 2), 1);
        Tensor y = net.forward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3), true);
        assertThat(y.shape()).containsExactly(1, 2, 2, 2);
        assertThat(y.toArray()).containsExactly(1, 3, 7, 9, 0, 0, 0, 0);
        Tensor dx = net.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 2, 2, 2));
        assertThat(dx.toArray()).containsExactly(1, 0, 2, 0, 0, 0, 3, 0, 4);
    }

    @Test
    void identity_block_passes_the_gradient_check() {
        Sequential net = new Sequential(new int[] {2, 4, 4}, new Residual(body(2, 1)), new Tanh()).initialize(new Rng(1));
        LayerGradients.check(net, LayerGradients.uniform(2, -1, 1, 3, 2, 4, 4), 3);
    }

    @Test
    void downsampling_block_with_the_zero_padding_shortcut_passes_the_gradient_check() {
        Sequential net = new Sequential(new int[] {2, 5, 5},
                Residual.withProjection(new ZeroPadShortcut(3, 2), body(3, 2)), new Tanh()).initialize(new Rng(4));
        assertThat(net.outputShape()).containsExactly(3, 3, 3);
        LayerGradients.check(net, LayerGradients.uniform(5, -1, 1, 3, 2, 5, 5), 6);
    }

    @Test
    void downsampling_block_with_a_1x1_projection_passes_the_gradient_check() {
        Sequential net = new Sequential(new int[] {2, 4, 4},
                Residual.withProjection(new Conv2d(3, new WindowGeometry(1, 2, 0), false, new He(), true), body(3, 2)),
                new Tanh()).initialize(new Rng(7));
        assertThat(net.outputShape()).containsExactly(3, 2, 2);
        LayerGradients.check(net, LayerGradients.uniform(8, -1, 1, 3, 2, 4, 4), 9);
    }
}
