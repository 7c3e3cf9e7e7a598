package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A residual block that absorbed the ReLU after it ({@link Residual#absorbRelu}) gives the bits of the two layers
 * apart, forward and backward, for an identity and an option-A shortcut, on one and two threads, on sizes with
 * scalar tails; and with a batch norm inside that absorbed its own ReLU, as ResNet builds its blocks.
 */
class ResidualReluFusionTest {

    @Test
    void identity_shortcut_on_one_and_two_threads() {
        for (int threads = 1; threads <= 2; threads++) {
            assertSameBits(fuse -> new Residual(new Tanh()), new int[] {3, 17, 19}, new int[] {3, 17, 19}, 40, threads);
        }
    }

    @Test
    void option_a_shortcut_with_a_fused_batch_norm_inside() {
        assertSameBits(fuse -> {
            BatchNorm norm = new BatchNorm();
            ReLU relu = new ReLU();
            if (fuse) norm.absorbRelu(relu);
            return Residual.withProjection(new ZeroPadShortcut(6, 2), new MaxPool2d(2), norm, relu,
                    new Conv2d(6, 3, 1), new BatchNorm());
        }, new int[] {3, 16, 16}, new int[] {6, 8, 8}, 70, 2);
    }

    private static void assertSameBits(Function<Boolean, Residual> make, int[] in, int[] out, int rows, int threads) {
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(threads);
            Sequential apart = net(make, false, in), fused = net(make, true, in);
            Tensor x = LayerGradients.uniform(21, -2, 2, rows, in[0], in[1], in[2]);
            Tensor dy = LayerGradients.uniform(22, -1, 1, rows, out[0], out[1], out[2]);
            assertThat(fused.forward(x, true).toArray()).as("output on %d threads", threads).containsExactly(apart.forward(x, true).toArray());
            assertThat(fused.backward(dy).toArray()).as("dx on %d threads", threads).containsExactly(apart.backward(dy).toArray());
            for (Parameters.Entry e : apart.params().entries()) {
                assertThat(fused.params().grad(e.name()).toArray()).as("%s gradient", e.name())
                        .containsExactly(apart.params().grad(e.name()).toArray());
            }
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static Sequential net(Function<Boolean, Residual> make, boolean fuse, int[] in) {
        Residual block = make.apply(fuse);
        ReLU relu = new ReLU();
        if (fuse) block.absorbRelu(relu);
        return new Sequential(in, block, relu).initialize(new Rng(3));
    }
}
