package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Conv3x3Stride2;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.layers.Conv2dTest.Shape;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The polyphase stride-2 path of {@link Conv2d} ({@link Conv3x3Stride2Direct}, {@link Conv3x3Stride2})
 * against the seven loops of the definition ({@link Conv2dTest#naiveForward}, {@link Conv2dTest#naiveBackward}),
 * forward and both backward passes, on awkward shapes: one channel, a batch of one, a single pixel, odd
 * and even sides (even ones are floored, as ResNet's 32 -> 16), filters left over after blocks of 4 and
 * of 3, batches longer than a weight-gradient group, and ResNet's own two downsampling shapes; on 16 lanes
 * the even shapes whose output is whole 4-vector tiles take {@link dev.nnlab.kernels.Conv3x3Stride2Wide}.
 */
class Conv3x3Stride2Test {

    static List<Shape> shapes() {
        return List.of(
                new Shape(1, 1, 5, 5, 1, 3, 2, 1),     // one channel, one filter, a batch of one
                new Shape(1, 1, 1, 1, 2, 3, 2, 1),     // a single pixel: every tap but the centre reads padding
                new Shape(3, 2, 7, 6, 5, 3, 2, 1),     // odd x even sides, a filter after a block of 4
                new Shape(2, 3, 2, 9, 7, 3, 2, 1),     // two rows, 7 filters: blocks of 4 and 3 and remainders
                new Shape(2, 1, 28, 28, 4, 3, 2, 1),   // a one-channel image, even side floored (28 -> 14)
                new Shape(40, 4, 8, 8, 6, 3, 2, 1),    // each part longer than a weight-gradient group (16 samples)
                new Shape(3, 5, 17, 15, 8, 3, 2, 1),   // odd sides, more channels
                new Shape(2, 16, 32, 32, 32, 3, 2, 1), // ResNet's stage 2 downsampling
                new Shape(2, 32, 16, 16, 64, 3, 2, 1), // ResNet's stage 3 downsampling
                // Tap planes on 16 lanes (Conv3x3Stride2Wide; the polyphase kernels at other widths):
                new Shape(1, 3, 8, 32, 5, 3, 2, 1),    // a batch of one, a filter after a block of 4, an odd last filter
                new Shape(3, 1, 16, 16, 1, 3, 2, 1),   // one channel, one filter, 3 samples over 2 parts
                new Shape(40, 2, 16, 16, 7, 3, 2, 1),  // each part longer than a weight-gradient group (16 samples)
                new Shape(2, 5, 2, 128, 6, 3, 2, 1));  // a single output row of 4 vectors
    }

    static Sequential conv(Shape s, long seed) {
        Sequential net = LayerGradients.single(new int[] {s.c(), s.h(), s.w()},
                new Conv2d(s.f(), new WindowGeometry(3, 2, 1), true, new He(), true), seed);
        Tensor b = net.params().value("conv0.bias");
        Rng rng = new Rng(seed + 1);
        for (int i = 0; i < b.size(); i++) b.data[b.offset + i] = rng.uniform(-1, 1);
        return net;
    }

    @Test
    void output_sizes_are_pytorchs_floored_ones() {
        assertThat(Conv3x3Stride2.outSize(32)).isEqualTo(16);
        assertThat(Conv3x3Stride2.outSize(16)).isEqualTo(8);
        assertThat(Conv3x3Stride2.outSize(7)).isEqualTo(4);
        assertThat(Conv3x3Stride2.outSize(1)).isEqualTo(1);
        assertThat(Conv3x3Stride2Direct.fits(new WindowGeometry(3, 2, 1))).isTrue();
        assertThat(Conv3x3Stride2Direct.fits(new WindowGeometry(3, 2, 0))).isFalse();
        assertThat(Conv3x3Stride2Direct.fits(new WindowGeometry(3, 1, 1))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void forward_matches_the_seven_loop_definition(Shape s) {
        Sequential net = conv(s, 1);
        Tensor x = LayerGradients.uniform(2, -1, 1, s.n(), s.c(), s.h(), s.w());
        Tensor y = net.forward(x, true);
        assertThat(y.shape()).containsExactly(s.n(), s.f(), s.oh(), s.ow());
        double[] expected = Conv2dTest.naiveForward(s, x.data, net.params().value("conv0.weight").toArray(),
                net.params().value("conv0.bias").toArray());
        for (int i = 0; i < expected.length; i++) assertThat((double) y.at(i)).as("y[%d]", i).isCloseTo(expected[i], within(1e-4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void both_backward_passes_match_the_seven_loop_definition(Shape s) {
        Sequential net = conv(s, 3);
        Tensor x = LayerGradients.uniform(4, -1, 1, s.n(), s.c(), s.h(), s.w());
        Tensor y = net.forward(x, true);
        Tensor dy = LayerGradients.uniform(5, -1, 1, y.shape());
        Parameters p = net.params();
        // Twice over the same batch: buffers left from the first pass must not leak into the second.
        for (int round = 0; round < 2; round++) {
            p.zeroGrad();
            Tensor dx = net.backward(dy);
            double[][] expected = Conv2dTest.naiveBackward(s, x.data, p.value("conv0.weight").toArray(), dy.data);
            assertClose("dx", dx.toArray(), expected[0]);
            assertClose("dW", p.grad("conv0.weight").toArray(), expected[1]);
            assertClose("db", p.grad("conv0.bias").toArray(), expected[2]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void a_first_layer_backward_adds_the_same_parameter_gradients(Shape s) {
        Sequential net = conv(s, 5);
        Tensor x = LayerGradients.uniform(6, -1, 1, s.n(), s.c(), s.h(), s.w());
        Tensor dy = LayerGradients.uniform(7, -1, 1, net.forward(x, true).shape());
        Parameters p = net.params();
        p.zeroGrad();
        net.backward(dy);
        float[] dw = p.grad("conv0.weight").toArray(), db = p.grad("conv0.bias").toArray();
        p.zeroGrad();
        net.backwardParameters(dy);
        assertThat(p.grad("conv0.weight").toArray()).containsExactly(dw);
        assertThat(p.grad("conv0.bias").toArray()).containsExactly(db);
    }

    @Test
    void a_smaller_batch_after_a_larger_one_is_computed_afresh() {
        Shape big = new Shape(7, 3, 9, 9, 5, 3, 2, 1), small = new Shape(2, 3, 9, 9, 5, 3, 2, 1);
        Sequential net = conv(big, 9);
        net.backward(LayerGradients.uniform(10, -1, 1, net.forward(LayerGradients.uniform(11, -1, 1, 7, 3, 9, 9), true).shape()));
        Tensor x = LayerGradients.uniform(12, -1, 1, 2, 3, 9, 9);
        Tensor y = net.forward(x, true);
        Tensor dy = LayerGradients.uniform(13, -1, 1, y.shape());
        Parameters p = net.params();
        p.zeroGrad();
        Tensor dx = net.backward(dy);
        float[] w = p.value("conv0.weight").toArray();
        assertClose("y", y.toArray(), Conv2dTest.naiveForward(small, x.data, w, p.value("conv0.bias").toArray()));
        double[][] expected = Conv2dTest.naiveBackward(small, x.data, w, dy.data);
        assertClose("dx", dx.toArray(), expected[0]);
        assertClose("dW", p.grad("conv0.weight").toArray(), expected[1]);
    }

    @Test
    void passes_the_gradient_check() {
        Shape s = new Shape(3, 2, 6, 5, 5, 3, 2, 1);
        LayerGradients.check(conv(s, 14), LayerGradients.uniform(15, -1, 1, s.n(), s.c(), s.h(), s.w()), 16);
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-4));
    }
}
