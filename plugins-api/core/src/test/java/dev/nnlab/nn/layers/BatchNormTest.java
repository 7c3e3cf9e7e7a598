package dev.nnlab.nn.layers;

import dev.nnlab.nn.GradientCheck;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BatchNormTest {

    private static void set(Sequential net, String name, float... v) {
        Tensor t = net.params().value(name);
        for (int i = 0; i < v.length; i++) t.data[t.offset + i] = v[i];
    }

    @Test
    void training_normalises_each_feature_and_updates_running_stats_with_unbiased_variance() {
        Sequential net = LayerGradients.single(new int[] {2}, new BatchNorm(), 1);
        Tensor x = Tensor.of(new float[] {1, 10, 2, 10, 3, 10, 4, 14}, 4, 2);
        Tensor y = net.forward(x, true);
        // feature 0: mean 2.5, biased variance 1.25; feature 1: mean 11, biased variance 3
        double s0 = Math.sqrt(1.25 + 1e-5), s1 = Math.sqrt(3 + 1e-5);
        float[] expected = {(float) (-1.5 / s0), (float) (-1 / s1), (float) (-0.5 / s0), (float) (-1 / s1),
                (float) (0.5 / s0), (float) (-1 / s1), (float) (1.5 / s0), (float) (3 / s1)};
        for (int i = 0; i < expected.length; i++) assertThat(y.at(i)).isCloseTo(expected[i], within(1e-6f));
        // momentum 0.1 from (mean 0, var 1); unbiased variances 5/3 and 4
        assertThat(net.params().value("batchnorm0.running_mean").toArray()).containsExactly(0.25f, 1.1f);
        float[] rv = net.params().value("batchnorm0.running_var").toArray();
        assertThat(rv[0]).isCloseTo(0.9f + 0.1f * 5f / 3f, within(1e-6f));
        assertThat(rv[1]).isCloseTo(1.3f, within(1e-6f));
    }

    @Test
    void evaluation_uses_the_running_statistics() {
        Sequential net = LayerGradients.single(new int[] {2}, new BatchNorm(), 1);
        set(net, "batchnorm0.running_mean", 1, -2);
        set(net, "batchnorm0.running_var", 4, 0.25f);
        set(net, "batchnorm0.gamma", 2, 1);
        set(net, "batchnorm0.beta", 0.5f, 0);
        Tensor y = net.forward(Tensor.of(new float[] {3, 0}, 1, 2), false);
        assertThat(y.at(0)).isCloseTo((float) (2 * 2 / Math.sqrt(4 + 1e-5) + 0.5), within(1e-6f));
        assertThat(y.at(1)).isCloseTo((float) (2 / Math.sqrt(0.25 + 1e-5)), within(1e-6f));
    }

    @Test
    void image_input_is_normalised_per_channel_over_batch_and_positions() {
        Sequential net = LayerGradients.single(new int[] {3, 2, 2}, new BatchNorm(), 1);
        Tensor y = net.forward(LayerGradients.uniform(1, -2, 5, 4, 3, 2, 2), true);
        for (int c = 0; c < 3; c++) {
            double s = 0, ss = 0;
            for (int n = 0; n < 4; n++) for (int h = 0; h < 2; h++) for (int w = 0; w < 2; w++) {
                float v = y.get(n, c, h, w);
                s += v;
                ss += v * v;
            }
            assertThat(s / 16).as("channel %d mean", c).isCloseTo(0, within(1e-6));
            assertThat(ss / 16).as("channel %d variance", c).isCloseTo(1, within(1e-3));
        }
    }

    @Test
    void running_statistics_are_non_trainable_entries_of_the_parameters() {
        Sequential net = LayerGradients.single(new int[] {3, 4, 4}, new BatchNorm(), 1);
        Parameters p = net.params();
        assertThat(p.entry("batchnorm0.running_mean").trainable()).isFalse();
        assertThat(p.entry("batchnorm0.running_var").trainable()).isFalse();
        assertThat(p.trainableCount()).isEqualTo(6);
        assertThat(p.size()).isEqualTo(12);
        assertThat(p.value("batchnorm0.running_var").toArray()).containsOnly(1f);
    }

    @Test
    void batch_statistic_gradients_match_central_differences_for_features() {
        Sequential net = LayerGradients.single(new int[] {3}, new BatchNorm(), 1);
        set(net, "batchnorm0.gamma", 1.5f, -0.7f, 0.9f);
        set(net, "batchnorm0.beta", 0.2f, -0.3f, 1f);
        LayerGradients.check(net, LayerGradients.uniform(2, -2, 2, 5, 3), 3);
    }

    @Test
    void batch_statistic_gradients_match_central_differences_for_images() {
        Sequential net = LayerGradients.single(new int[] {3, 2, 2}, new BatchNorm(), 1);
        set(net, "batchnorm0.gamma", 0.8f, 1.3f, -1.1f);
        set(net, "batchnorm0.beta", 0.1f, 0.4f, -0.2f);
        LayerGradients.check(net, LayerGradients.uniform(4, -2, 2, 2, 3, 2, 2), 5);
    }

    @Test
    void a_channel_with_a_large_mean_and_a_small_spread_keeps_its_statistics_and_gradients() {
        // 3 samples of 5x7 pixels: 1000 plus a spread of 0.01; E[x^2] - E[x]^2 in floats would lose it all.
        Tensor x = LayerGradients.uniform(11, -0.01f, 0.01f, 3, 1, 5, 7);
        double mean = 0, squares = 0;
        for (int i = 0; i < x.size(); i++) x.data[i] += 1000f;
        for (int i = 0; i < x.size(); i++) mean += x.data[i] / x.size();
        for (int i = 0; i < x.size(); i++) squares += (x.data[i] - mean) * (x.data[i] - mean);
        Sequential net = LayerGradients.single(new int[] {1, 5, 7}, new BatchNorm(), 1);
        float[] y = net.forward(x, true).toArray();
        // The kernels subtract the mean as a float (ulp 6e-5 at 1000, 1% of this spread): within 1e-2, not better.
        for (int i = 0; i < y.length; i++) {
            assertThat((double) y[i]).isCloseTo((x.data[i] - mean) / Math.sqrt(squares / x.size() + 1e-5), within(1e-2));
        }
        assertThat((double) net.params().value("batchnorm0.running_mean").toArray()[0]).isCloseTo(0.1 * mean, within(1e-3));
        assertThat((double) net.params().value("batchnorm0.running_var").toArray()[0])
                .isCloseTo(0.9 + 0.1 * squares / (x.size() - 1), within(1e-7));
        // The input gradient of L = sum(y r) is orthogonal to the constant and to xhat: its sum is ~0 against its size.
        float[] r = LayerGradients.uniform(5, -1f, 1f, y.length).data;
        net.params().zeroGrad();
        float[] dx = net.backward(Tensor.of(r, 3, 1, 5, 7)).toArray();
        double sum = 0, norm = 0;
        for (float v : dx) { sum += v; norm += Math.abs(v); }
        assertThat(Math.abs(sum)).isLessThan(1e-3 * norm);
    }

    @Test
    void zero_gamma_starts_at_beta_passes_no_input_gradient_yet_learns_its_gain() {
        Sequential net = LayerGradients.single(new int[] {2, 3, 3}, BatchNorm.zeroGamma(), 1);
        assertThat(net.params().value("batchnorm0.gamma").toArray()).containsExactly(0f, 0f);
        set(net, "batchnorm0.beta", 0.5f, -0.25f);
        Tensor x = LayerGradients.uniform(3, -2, 2, 3, 2, 3, 3);
        float[] y = net.forward(x, true).toArray();
        for (int i = 0; i < y.length; i++) assertThat(y[i]).isEqualTo((i / 9) % 2 == 0 ? 0.5f : -0.25f);
        // At gamma = 0 the output does not depend on x: dx is exactly 0, while gamma's gradient, sum(dy xhat),
        // matches central differences (the numerical check of every other BatchNorm test needs dx non-zero).
        float[] r = LayerGradients.uniform(7, -1f, 1f, y.length).data;
        net.params().zeroGrad();
        Tensor dx = net.backward(Tensor.of(r.clone(), 3, 2, 3, 3));
        for (float v : dx.toArray()) assertThat(v).isZero();
        Tensor gammaGrad = net.params().grad("batchnorm0.gamma").copy();
        assertThat(gammaGrad.toArray()).doesNotContain(0f);
        GradientCheck.check("dL/dgamma", () -> GradientCheck.weightedSum(net.forward(x, true), r),
                net.params().value("batchnorm0.gamma"), gammaGrad);
    }

    @Test
    void a_batch_of_one_sample_trains_to_beta_with_no_input_gradient_and_keeps_the_running_variance() {
        Sequential net = LayerGradients.single(new int[] {2}, new BatchNorm(), 1);
        set(net, "batchnorm0.gamma", 2f, 3f);
        set(net, "batchnorm0.beta", 0.5f, -0.25f);
        Tensor y = net.forward(Tensor.of(new float[] {4f, -7f}, 1, 2), true);
        assertThat(y.toArray()).containsExactly(0.5f, -0.25f);
        net.params().zeroGrad();
        Tensor dx = net.backward(Tensor.of(new float[] {1.5f, -2f}, 1, 2));
        assertThat(dx.toArray()).containsExactly(0f, 0f);
        assertThat(net.params().grad("batchnorm0.beta").toArray()).containsExactly(1.5f, -2f);
        assertThat(net.params().grad("batchnorm0.gamma").toArray()).containsExactly(0f, 0f);
        assertThat(net.params().value("batchnorm0.running_var").toArray()).containsExactly(1f, 1f);
        // the running mean moves by momentum 0.1 towards the one value
        assertThat(net.params().value("batchnorm0.running_mean").toArray()).containsExactly(0.4f, -0.7f);
    }

    /**
     * A batch large enough to be split by channels across the kernel threads gives the same outputs,
     * gradients and running statistics as one thread (each channel's arithmetic is the same; only who runs it differs).
     */
    @Test
    void a_batch_split_across_threads_by_channel_equals_one_thread() {
        int[] shape = {8, 16, 16};
        Tensor x = LayerGradients.uniform(1, -1, 3, 16, 8, 16, 16), dy = LayerGradients.uniform(2, -1, 1, 16, 8, 16, 16);
        float[][] one = run(shape, x, dy, 1), many = run(shape, x, dy, 2);
        for (int k = 0; k < one.length; k++) assertThat(many[k]).as("part %d", k).containsExactly(one[k]);
    }

    private static float[][] run(int[] shape, Tensor x, Tensor dy, int threads) {
        dev.nnlab.kernels.Parallelism.limitCurrentThread(threads);
        try {
            Sequential net = LayerGradients.single(shape, new BatchNorm(), 1);
            Parameters p = net.params();
            p.zeroGrad();
            float[] y = net.forward(x, true).toArray();
            float[] dx = net.backward(dy).toArray();
            float[] eval = net.forward(x, false).toArray();
            return new float[][] {y, dx, eval, p.grad("batchnorm0.gamma").toArray(), p.grad("batchnorm0.beta").toArray(),
                    p.value("batchnorm0.running_mean").toArray(), p.value("batchnorm0.running_var").toArray()};
        } finally {
            dev.nnlab.kernels.Parallelism.clearCurrentThreadLimit();
        }
    }
}
