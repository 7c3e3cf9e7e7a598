package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 2x2 max pool that takes over the backward pass of the ReLU before it ({@link MaxPool2d#takeGradientOf})
 * against the same two layers unfused: the same outputs and the same input gradient, bit for bit, with values
 * that are often exactly 0 after the ReLU (whole windows of zeros, ties), odd numbers of windows (a vector
 * block's tail), one channel, one sample, and batches large enough to split across threads.
 */
class ReluMaxPoolFusionTest {
    @ParameterizedTest(name = "n{0} c{1} {2}x{3} threads {4}")
    @CsvSource({"1,1,2,2,1", "1,1,6,10,1", "3,2,14,14,1", "16,3,28,28,2", "7,5,10,6,2", "64,4,14,14,2"})
    void the_fused_pair_gives_the_unfused_gradients_bit_for_bit(int n, int c, int h, int w, int threads) {
        int before = Parallelism.threads();
        Parallelism.setThreads(threads);
        try {
            Tensor x = LayerGradients.uniform(11, -2, 2, n, c, h, w);
            // A coarse grid: many values <= 0 (whole windows of ReLU zeros) and many ties.
            for (int i = 0; i < x.size(); i++) x.data[i] = Math.round(x.data[i] * 2) / 2f;
            Tensor dy = LayerGradients.uniform(12, -1, 1, n, c, h / 2, w / 2);
            Sequential plain = new Sequential(new int[] {c, h, w}, new ReLU(), new MaxPool2d(2));
            ReLU relu = new ReLU();
            MaxPool2d pool = new MaxPool2d(2);
            assertThat(pool.takeGradientOf(relu)).isTrue();
            Sequential fused = new Sequential(new int[] {c, h, w}, relu, pool);
            for (int step = 0; step < 2; step++) {
                Tensor y0 = plain.forward(x, true), y1 = fused.forward(x, true);
                assertThat(y1.toArray()).containsExactly(y0.toArray());
                assertThat(fused.lastOutput(0).toArray()).containsExactly(plain.lastOutput(0).toArray());
                Tensor dx0 = plain.backward(dy), dx1 = fused.backward(dy);
                assertThat(dx1.toArray()).containsExactly(dx0.toArray());
                for (int i = 0; i < x.size(); i++) x.data[i] = -x.data[i];
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    @Test
    void other_windows_do_not_take_the_gradient_over() {
        ReLU relu = new ReLU();
        assertThat(new MaxPool2d(3).takeGradientOf(relu)).isFalse();
        assertThat(new MaxPool2d(new WindowGeometry(2, 1, 0)).takeGradientOf(relu)).isFalse();
        Sequential net = new Sequential(new int[] {1, 2, 2}, relu);
        net.forward(Tensor.of(new float[] {-1, 2, 0, 3}, 1, 1, 2, 2), true);
        assertThat(net.backward(Tensor.of(new float[] {5, 6, 7, 8}, 1, 1, 2, 2)).toArray()).containsExactly(0, 6, 0, 8);
    }
}
