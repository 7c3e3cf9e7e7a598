package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PReLUTest {

    private static void setSlopes(Sequential net, float... slopes) {
        Tensor alpha = net.params().value("prelu0.alpha");
        for (int i = 0; i < slopes.length; i++) alpha.data[alpha.offset + i] = slopes[i];
    }

    @Test
    void slopes_start_at_one_quarter_and_scale_only_negative_inputs() {
        Sequential net = LayerGradients.single(new int[] {3}, new PReLU(), 1);
        assertThat(net.params().value("prelu0.alpha").toArray()).containsExactly(0.25f, 0.25f, 0.25f);
        setSlopes(net, 0.25f, 0.5f, -1f);
        Tensor y = net.forward(Tensor.of(new float[] {-2, -2, -2, 3, 3, 3}, 2, 3), true);
        assertThat(y.toArray()).containsExactly(-0.5f, -1f, 2f, 3f, 3f, 3f);

        net.params().zeroGrad();
        net.backward(Tensor.of(new float[] {1, 1, 1, 1, 1, 1}, 2, 3));
        // d alpha_c = sum over non-positive inputs of x * dy = -2 per feature (only row 0 is negative)
        assertThat(net.params().grad("prelu0.alpha").toArray()).containsExactly(-2f, -2f, -2f);
    }

    @Test
    void per_feature_slopes_match_central_differences() {
        Sequential net = LayerGradients.single(new int[] {4}, new PReLU(), 1);
        setSlopes(net, 0.25f, 0.1f, 0.6f, -0.3f);
        LayerGradients.check(net, LayerGradients.awayFromZero(2, 0.05f, 5, 4), 3);
    }

    @Test
    void per_channel_slopes_on_images_match_central_differences() {
        Sequential net = LayerGradients.single(new int[] {3, 2, 2}, new PReLU(), 1);
        assertThat(net.params().value("prelu0.alpha").shape()).containsExactly(3);
        setSlopes(net, 0.25f, 0.05f, 0.7f);
        LayerGradients.check(net, LayerGradients.awayFromZero(4, 0.05f, 2, 3, 2, 2), 5);
    }

    @Test
    void one_shared_slope_matches_central_differences() {
        Sequential net = LayerGradients.single(new int[] {6}, new PReLU(true), 1);
        assertThat(net.params().trainableCount()).isEqualTo(1);
        LayerGradients.check(net, LayerGradients.awayFromZero(6, 0.05f, 3, 6), 7);
    }
}
