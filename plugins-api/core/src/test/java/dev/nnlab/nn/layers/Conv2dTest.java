package dev.nnlab.nn.layers;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Conv2dTest {

    /** N, C, H, W, filters, kernel, stride, padding. */
    record Shape(int n, int c, int h, int w, int f, int k, int s, int p) {
        @Override
        public String toString() {
            return "N" + n + " C" + c + " " + h + "x" + w + " F" + f + " K" + k + " S" + s + " P" + p;
        }

        int oh() { return (h - k + 2 * p) / s + 1; }
        int ow() { return (w - k + 2 * p) / s + 1; }
    }

    static List<Shape> awkward() {
        return List.of(
                new Shape(1, 1, 5, 5, 1, 3, 1, 0),   // one channel, one filter, a batch of one
                new Shape(2, 1, 7, 5, 3, 3, 2, 0),   // odd, non-square, stride 2
                new Shape(3, 2, 5, 7, 4, 3, 2, 2),   // padding 2 with stride 2
                new Shape(1, 3, 6, 6, 5, 5, 1, 2),   // a 5x5 kernel with "same" padding
                new Shape(2, 3, 9, 9, 2, 1, 2, 0),   // 1x1 projection at stride 2
                new Shape(2, 2, 4, 4, 3, 3, 1, 1),
                new Shape(5, 1, 9, 7, 6, 3, 1, 1),   // a first layer: one channel, a small patch, a batch split unevenly
                new Shape(3, 4, 7, 9, 5, 3, 1, 2),   // padding 2 at stride 1: whole-row copies with zero margins
                new Shape(4, 2, 7, 7, 3, 3, 2, 1),   // stride 2, padding 1: the ResNet downsampling convolution
                // 3x3 at stride 1, padding 1 runs the direct kernels: a filter remainder after blocks of 4, odd
                // sizes, a batch larger than a weight-gradient group on a small image, one column
                new Shape(3, 5, 13, 11, 9, 3, 1, 1),
                new Shape(40, 6, 4, 4, 5, 3, 1, 1),
                new Shape(2, 3, 6, 1, 4, 3, 1, 1),
                // widths of whole 256-bit vectors write straight into the images: 8x8 (a tile spans two rows),
                // 3 rows of 16 (an odd number of vectors: flat rows), 2 rows of 32
                new Shape(3, 2, 8, 8, 5, 3, 1, 1),
                new Shape(2, 3, 3, 16, 6, 3, 1, 1),
                new Shape(2, 1, 2, 32, 4, 3, 1, 1),
                // 8 or more channels in: the weight gradient as a product per sample; an odd channel count (rows
                // past the blocks of 6), filters past whole panels of two vectors, a batch of one, one row
                new Shape(3, 9, 5, 7, 19, 3, 1, 1),
                new Shape(1, 8, 14, 14, 16, 3, 1, 1),
                new Shape(2, 11, 1, 9, 3, 3, 1, 1),
                // 32 or more filters from 8 or more channels: forward as an implicit product (33 filters: a last
                // tile of 3); 32 or more channels into 8 or more filters: the input gradient as one
                new Shape(2, 8, 5, 7, 33, 3, 1, 1),
                new Shape(1, 33, 3, 5, 9, 3, 1, 1),
                // 32 or more channels in (filters for the input gradient) on 8 wide or 16 wide images at 16 lanes: forward
                // and the input gradient by Winograd's F(2x2, 3x3), 4 samples of 8x8 per block (5: a partial last block)
                new Shape(5, 32, 8, 8, 36, 3, 1, 1),
                new Shape(2, 32, 16, 16, 32, 3, 1, 1),
                // 4 channels into 32 filters: the weight gradient along grouped planes, the input gradient by Winograd
                new Shape(3, 4, 16, 16, 32, 3, 1, 1));
    }

    /** The seven nested loops of the definition, in double: y[n,f,oh,ow] = b[f] + sum_{c,i,j} w[f,c,i,j] x[n,c,oh S - P + i, ow S - P + j]. */
    static double[] naiveForward(Shape s, float[] x, float[] w, float[] b) {
        double[] y = new double[s.n * s.f * s.oh() * s.ow()];
        for (int n = 0; n < s.n; n++)
            for (int f = 0; f < s.f; f++)
                for (int oh = 0; oh < s.oh(); oh++)
                    for (int ow = 0; ow < s.ow(); ow++) {
                        double sum = b[f];
                        for (int c = 0; c < s.c; c++)
                            for (int i = 0; i < s.k; i++)
                                for (int j = 0; j < s.k; j++) {
                                    int h = oh * s.s - s.p + i, ww = ow * s.s - s.p + j;
                                    if (h < 0 || h >= s.h || ww < 0 || ww >= s.w) continue;
                                    sum += (double) w[((f * s.c + c) * s.k + i) * s.k + j] * x[((n * s.c + c) * s.h + h) * s.w + ww];
                                }
                        y[((n * s.f + f) * s.oh() + oh) * s.ow() + ow] = sum;
                    }
        return y;
    }

    /** The same loops run backwards: every product's two factors get the other factor times dy. */
    static double[][] naiveBackward(Shape s, float[] x, float[] w, float[] dy) {
        double[] dx = new double[x.length], dw = new double[w.length], db = new double[s.f];
        for (int n = 0; n < s.n; n++)
            for (int f = 0; f < s.f; f++)
                for (int oh = 0; oh < s.oh(); oh++)
                    for (int ow = 0; ow < s.ow(); ow++) {
                        double g = dy[((n * s.f + f) * s.oh() + oh) * s.ow() + ow];
                        db[f] += g;
                        for (int c = 0; c < s.c; c++)
                            for (int i = 0; i < s.k; i++)
                                for (int j = 0; j < s.k; j++) {
                                    int h = oh * s.s - s.p + i, ww = ow * s.s - s.p + j;
                                    if (h < 0 || h >= s.h || ww < 0 || ww >= s.w) continue;
                                    int xi = ((n * s.c + c) * s.h + h) * s.w + ww, wi = ((f * s.c + c) * s.k + i) * s.k + j;
                                    dx[xi] += g * w[wi];
                                    dw[wi] += g * x[xi];
                                }
                    }
        return new double[][] {dx, dw, db};
    }

    static Sequential conv(Shape s, long seed) {
        Sequential net = LayerGradients.single(new int[] {s.c, s.h, s.w},
                new Conv2d(s.f, new WindowGeometry(s.k, s.s, s.p), true, new He(), false), seed);
        // Non-zero biases, so that a dropped bias term shows.
        Tensor b = net.params().value("conv0.bias");
        Rng rng = new Rng(seed + 1);
        for (int i = 0; i < b.size(); i++) b.data[b.offset + i] = rng.uniform(-1, 1);
        return net;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void forward_matches_the_seven_loop_definition(Shape s) {
        Sequential net = conv(s, 1);
        Tensor x = LayerGradients.uniform(2, -1, 1, s.n, s.c, s.h, s.w);
        Tensor y = net.forward(x, true);
        assertThat(y.shape()).containsExactly(s.n, s.f, s.oh(), s.ow());
        double[] expected = naiveForward(s, x.data, net.params().value("conv0.weight").toArray(),
                net.params().value("conv0.bias").toArray());
        for (int i = 0; i < expected.length; i++) assertThat((double) y.at(i)).as("y[%d]", i).isCloseTo(expected[i], within(1e-4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void both_backward_passes_match_the_seven_loop_definition(Shape s) {
        Sequential net = conv(s, 3);
        Tensor x = LayerGradients.uniform(4, -1, 1, s.n, s.c, s.h, s.w);
        Tensor y = net.forward(x, true);
        Tensor dy = LayerGradients.uniform(5, -1, 1, y.shape());
        Parameters p = net.params();
        p.zeroGrad();
        Tensor dx = net.backward(dy);
        double[][] expected = naiveBackward(s, x.data, p.value("conv0.weight").toArray(), dy.data);
        assertClose("dx", dx.toArray(), expected[0]);
        assertClose("dW", p.grad("conv0.weight").toArray(), expected[1]);
        assertClose("db", p.grad("conv0.bias").toArray(), expected[2]);
    }

    private static void assertClose(String what, float[] actual, double[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertThat((double) actual[i]).as("%s[%d]", what, i).isCloseTo(expected[i], within(1e-4));
    }

    @Test
    void passes_the_gradient_check_with_stride_and_padding() {
        Shape s = new Shape(2, 2, 5, 5, 3, 3, 2, 1);
        LayerGradients.check(conv(s, 7), LayerGradients.uniform(8, -1, 1, s.n, s.c, s.h, s.w), 9);
    }

    @Test
    void passes_the_gradient_check_on_the_direct_3x3_path() {
        Shape s = new Shape(3, 2, 5, 4, 5, 3, 1, 1);
        LayerGradients.check(conv(s, 11), LayerGradients.uniform(12, -1, 1, s.n, s.c, s.h, s.w), 13);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("awkward")
    void a_first_layer_backward_adds_the_same_parameter_gradients(Shape s) {
        Sequential net = conv(s, 5);
        Tensor x = LayerGradients.uniform(6, -1, 1, s.n, s.c, s.h, s.w);
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
    void refuses_a_window_that_does_not_tile_the_input_naming_the_numbers_and_the_rule() {
        assertThatThrownBy(() -> new Sequential(new int[] {1, 28, 28}, new Conv2d(8, new WindowGeometry(3, 2, 0), true, new He(), false)))
                .isInstanceOf(WindowGeometry.ShapeException.class)
                .hasMessageContaining("conv0")
                .hasMessageContaining("(28 - 3 + 0) / 2 + 1 = 13.5")
                .hasMessageContaining("(H - F + 2P) / S + 1")
                .hasMessageContaining("positive integer");
        assertThatThrownBy(() -> new Sequential(new int[] {1, 2, 2}, new Conv2d(8, 5, 0)))
                .hasMessageContaining("(2 - 5 + 0) / 1 + 1 = -2");
    }

    @Test
    void a_window_that_tiles_exactly_is_accepted_and_floor_mode_accepts_the_resnet_downsampling() {
        assertThat(new Sequential(new int[] {1, 28, 28}, new Conv2d(8, new WindowGeometry(3, 1, 1), true, new He(), false))
                .outputShape()).containsExactly(8, 28, 28);
        assertThatThrownBy(() -> new Sequential(new int[] {16, 32, 32},
                new Conv2d(32, new WindowGeometry(3, 2, 1), true, new He(), false))).hasMessageContaining("(32 - 3 + 2) / 2 + 1 = 16.5");
        assertThat(new Sequential(new int[] {16, 32, 32}, new Conv2d(32, new WindowGeometry(3, 2, 1), true, new He(), true))
                .outputShape()).containsExactly(32, 16, 16);
    }

    @Test
    void refuses_a_sample_that_is_not_an_image() {
        assertThatThrownBy(() -> new Sequential(new int[] {784}, new Conv2d(8, 3, 1)))
                .hasMessageContaining("conv0").hasMessageContaining("(C, H, W)");
    }
}
