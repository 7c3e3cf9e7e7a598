package dev.nnlab.nn.layers;

import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PoolingTest {
    // One 4x4 channel: 1..16 row by row.
    private static final float[] RAMP = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @Test
    void max_pool_picks_each_window_maximum_and_routes_the_gradient_there() {
        Sequential net = LayerGradients.single(new int[] {1, 4, 4}, new MaxPool2d(2), 1);
        Tensor y = net.forward(Tensor.of(RAMP.clone(), 1, 1, 4, 4), true);
        assertThat(y.shape()).containsExactly(1, 1, 2, 2);
        assertThat(y.toArray()).containsExactly(6, 8, 14, 16);
        Tensor dx = net.backward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertThat(dx.toArray()).containsExactly(0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0, 3, 0, 4);
    }

    /**
     * The 2x2 fast path, split across threads on a batch large enough to split, against the definition
     * in scalar loops: each window's first maximum (values on a coarse grid, so ties are common) gets the
     * gradient; at stride 1 overlapping windows add theirs up.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "stride {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {2, 1})
    void the_2x2_max_pool_matches_the_definition_with_ties_and_overlaps(int stride) {
        int n = 16, c = 3, h = stride == 2 ? 32 : 31, w = stride == 2 ? 28 : 27, oh = (h - 2) / stride + 1, ow = (w - 2) / stride + 1;
        Tensor x = LayerGradients.uniform(3, -2, 2, n, c, h, w);
        for (int i = 0; i < x.size(); i++) x.data[i] = Math.round(x.data[i] * 2) / 2f;
        Sequential net = LayerGradients.single(new int[] {c, h, w}, new MaxPool2d(new WindowGeometry(2, stride, 0)), 1);
        Tensor y = net.forward(x, true);
        Tensor dy = LayerGradients.uniform(4, -1, 1, n, c, oh, ow);
        Tensor dx = net.backward(dy);
        float[] expectedDx = new float[x.size()];
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int at = -1;
                    for (int a = 0; a < 2; a++) {
                        for (int b = 0; b < 2; b++) {
                            int idx = (plane * h + i * stride + a) * w + j * stride + b;
                            if (at < 0 || x.data[idx] > x.data[at]) at = idx;
                        }
                    }
                    int o = (plane * oh + i) * ow + j;
                    assertThat(y.at(o)).as("y[%d]", o).isEqualTo(x.data[at]);
                    expectedDx[at] += dy.data[o];
                }
            }
        }
        for (int i = 0; i < expectedDx.length; i++) assertThat(dx.at(i)).as("dx[%d]", i).isCloseTo(expectedDx[i], within(1e-6f));
    }

    @Test
    void average_pool_takes_each_window_mean_and_spreads_the_gradient_evenly() {
        Sequential net = LayerGradients.single(new int[] {1, 4, 4}, new AvgPool2d(2), 1);
        Tensor y = net.forward(Tensor.of(RAMP.clone(), 1, 1, 4, 4), true);
        assertThat(y.toArray()).containsExactly(3.5f, 5.5f, 11.5f, 13.5f);
        Tensor dx = net.backward(Tensor.of(new float[] {4, 8, 0, 0}, 1, 1, 2, 2));
        assertThat(dx.toArray()).containsExactly(1, 1, 2, 2, 1, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void overlapping_and_padded_pools_pass_the_gradient_check() {
        // Stride 2 windows of 3 overlap. Values 0.1 apart (shuffled): no nudge of the check's 0.01 changes a window's maximum.
        LayerGradients.check(LayerGradients.single(new int[] {2, 5, 5}, new MaxPool2d(new WindowGeometry(3, 2, 1)), 1),
                spacedApart(2 * 2 * 5 * 5, 2, 2, 5, 5), 3);
        LayerGradients.check(LayerGradients.single(new int[] {2, 5, 5}, new AvgPool2d(new WindowGeometry(3, 2, 1)), 1),
                LayerGradients.uniform(2, -1, 1, 2, 2, 5, 5), 3);
    }

    private static Tensor spacedApart(int size, int... shape) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) v[i] = 0.1f * i - 0.05f * size;
        dev.nnlab.tensor.Rng rng = new dev.nnlab.tensor.Rng(42);
        for (int i = size - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void global_average_pool_gives_each_channel_mean_and_passes_the_gradient_check() {
        Sequential net = LayerGradients.single(new int[] {2, 2, 2}, new GlobalAvgPool(), 1);
        Tensor y = net.forward(Tensor.of(new float[] {1, 2, 3, 4, -1, -1, 5, 5}, 1, 2, 2, 2), true);
        assertThat(y.shape()).containsExactly(1, 2);
        assertThat(y.toArray()).containsExactly(new float[] {2.5f, 2f}, within(1e-6f));
        LayerGradients.check(LayerGradients.single(new int[] {3, 3, 5}, new GlobalAvgPool(), 1),
                LayerGradients.uniform(4, -1, 1, 2, 3, 3, 5), 5);
    }

    @Test
    void flatten_keeps_row_major_order_and_passes_the_gradient_back_unchanged() {
        Sequential net = LayerGradients.single(new int[] {2, 1, 2}, new Flatten(), 1);
        Tensor y = net.forward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 1, 2), true);
        assertThat(y.shape()).containsExactly(1, 4);
        assertThat(y.toArray()).containsExactly(1, 2, 3, 4);
        LayerGradients.check(net, LayerGradients.uniform(4, -1, 1, 3, 2, 1, 2), 5);
    }

    @Test
    void a_pool_that_does_not_tile_its_input_is_refused_with_the_rule() {
        assertThatThrownBy(() -> new Sequential(new int[] {4, 7, 7}, new MaxPool2d(2)))
                .hasMessageContaining("maxpool0").hasMessageContaining("(7 - 2 + 0) / 2 + 1 = 3.5");
        assertThat(new Sequential(new int[] {4, 7, 7}, new MaxPool2d(new WindowGeometry(3, 2, 1))).outputShape())
                .containsExactly(4, 4, 4);
    }

    @Test
    void spatial_batch_norm_normalises_each_channel_over_batch_and_pixels_and_passes_the_gradient_check() {
        Sequential net = LayerGradients.single(new int[] {3, 4, 5}, new BatchNorm(), 1);
        Tensor x = LayerGradients.uniform(6, -2, 3, 2, 3, 4, 5);
        Tensor y = net.forward(x, true);
        for (int c = 0; c < 3; c++) {
            double sum = 0, sq = 0;
            for (int n = 0; n < 2; n++) for (int p = 0; p < 20; p++) {
                double v = y.at((n * 3 + c) * 20 + p);
                sum += v;
                sq += v * v;
            }
            assertThat(sum / 40).as("channel %d mean", c).isCloseTo(0, within(1e-5));
            assertThat(sq / 40).as("channel %d variance", c).isCloseTo(1, within(1e-3));
        }
        LayerGradients.check(net, x, 7);
    }
}
