package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pass over enough values to be split across kernel threads gives the bits of one pass on one thread, for
 * every pointwise activation, forward and backward, on a size that is no multiple of the cut alignment or of a
 * vector (the last range ends in a scalar tail).
 */
class PointwiseActivationSplitTest {

    @Test
    void a_pass_split_across_two_threads_gives_the_bits_of_one_thread() {
        int features = 3 * 17 * 19, rows = PointwiseActivation.PARALLEL_MIN_VALUES / features + 3;
        Tensor x = LayerGradients.uniform(31, -3, 3, rows, 3, 17, 19);
        Tensor dy = LayerGradients.uniform(32, -1, 1, rows, 3, 17, 19);
        List<Supplier<PointwiseActivation>> kinds = List.of(ReLU::new, Tanh::new, Sigmoid::new, ELU::new, LeakyReLU::new);
        int before = Parallelism.threads();
        try {
            for (Supplier<PointwiseActivation> kind : kinds) {
                Parallelism.setThreads(1);
                float[][] one = pass(kind.get(), x, dy);
                Parallelism.setThreads(2);
                float[][] two = pass(kind.get(), x, dy);
                String name = kind.get().kind();
                assertThat(two[0]).as("%s forward", name).containsExactly(one[0]);
                assertThat(two[1]).as("%s backward", name).containsExactly(one[1]);
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static float[][] pass(PointwiseActivation layer, Tensor x, Tensor dy) {
        layer.build("act", new int[] {3, 17, 19}, null);
        float[] y = layer.forward(x, true).toArray();
        return new float[][] {y, layer.backward(dy).toArray()};
    }
}
