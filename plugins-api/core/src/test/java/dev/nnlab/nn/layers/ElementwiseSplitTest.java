package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Layer;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The residual sum and the option-A shortcut, split across kernel threads once a batch is large enough, give the
 * bits of one thread, forward and backward, on sizes that are no multiple of a vector or of the cut alignment.
 */
class ElementwiseSplitTest {

    @Test
    void the_residual_sums_split_across_two_threads_give_the_bits_of_one_thread() {
        int[] shape = {3, 17, 19};
        int rows = ElementRanges.PARALLEL_MIN_VALUES / (3 * 17 * 19) + 3;
        assertSameOnOneAndTwoThreads(() -> new Residual(new Tanh()), shape, new int[] {3, 17, 19}, rows);
    }

    @Test
    void the_zero_pad_shortcut_split_across_two_threads_gives_the_bits_of_one_thread() {
        int rows = ElementRanges.PARALLEL_MIN_VALUES / (3 * 17 * 19) + 3;
        assertSameOnOneAndTwoThreads(() -> new ZeroPadShortcut(5, 2), new int[] {3, 17, 19}, new int[] {5, 9, 10}, rows);
    }

    @Test
    void the_zero_pad_shortcut_matches_its_definition_on_two_threads() {
        int rows = ElementRanges.PARALLEL_MIN_VALUES / (3 * 17 * 19) + 3;
        Tensor x = LayerGradients.uniform(41, -3, 3, rows, 3, 17, 19);
        Tensor dy = LayerGradients.uniform(42, -1, 1, rows, 5, 9, 10);
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(2);
            Layer pad = new ZeroPadShortcut(5, 2);
            pad.build("pad", new int[] {3, 17, 19}, null);
            float[] y = pad.forward(x, true).toArray(), dx = pad.backward(dy).toArray();
            float[] xs = x.toArray(), dys = dy.toArray();
            for (int s = 0; s < rows; s++) {
                for (int c = 0; c < 5; c++) {
                    for (int h = 0; h < 9; h++) {
                        for (int w = 0; w < 10; w++) {
                            float want = c < 3 ? xs[((s * 3 + c) * 17 + 2 * h) * 19 + 2 * w] : 0f;
                            assertThat(y[((s * 5 + c) * 9 + h) * 10 + w]).isEqualTo(want);
                        }
                    }
                }
                for (int c = 0; c < 3; c++) {
                    for (int h = 0; h < 17; h++) {
                        for (int w = 0; w < 19; w++) {
                            float want = h % 2 == 0 && w % 2 == 0 ? dys[((s * 5 + c) * 9 + h / 2) * 10 + w / 2] : 0f;
                            assertThat(dx[((s * 3 + c) * 17 + h) * 19 + w]).isEqualTo(want);
                        }
                    }
                }
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static void assertSameOnOneAndTwoThreads(Supplier<Layer> kind, int[] in, int[] out, int rows) {
        Tensor x = LayerGradients.uniform(31, -3, 3, rows, in[0], in[1], in[2]);
        Tensor dy = LayerGradients.uniform(32, -1, 1, rows, out[0], out[1], out[2]);
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(1);
            float[][] one = pass(kind.get(), in, x, dy);
            Parallelism.setThreads(2);
            float[][] two = pass(kind.get(), in, x, dy);
            assertThat(two[0]).as("forward").containsExactly(one[0]);
            assertThat(two[1]).as("backward").containsExactly(one[1]);
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static float[][] pass(Layer layer, int[] in, Tensor x, Tensor dy) {
        layer.build("layer", in, null);
        float[] y = layer.forward(x, true).toArray();
        return new float[][] {y, layer.backward(dy).toArray()};
    }
}
