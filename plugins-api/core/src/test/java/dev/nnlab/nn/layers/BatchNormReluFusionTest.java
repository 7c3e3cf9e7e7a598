package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Sequential;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A batch norm that absorbed the ReLU after it ({@link BatchNorm#absorbRelu}) gives the bits of the two layers apart:
 * the ReLU's output in training and evaluation, the input gradient and the gradients of gamma and beta. On shapes
 * with scalar tails (runs that are no multiple of a vector), one value per channel, and batches large enough to
 * split the channels across two threads; gamma of both signs, so the ReLU cuts on both sides of the mean.
 */
class BatchNormReluFusionTest {

    @Test
    void images_with_tails_on_one_and_two_threads() {
        for (int threads = 1; threads <= 2; threads++) assertSameBits(new int[] {3, 17, 19}, 40, threads);
    }

    @Test
    void whole_vector_planes_as_resnet_has_them() {
        assertSameBits(new int[] {16, 8, 8}, 9, 2);
        assertSameBits(new int[] {4, 32, 32}, 10, 2);
    }

    @Test
    void features_of_one_value_per_channel() {
        assertSameBits(new int[] {37}, 7, 1);
    }

    private static void assertSameBits(int[] shape, int rows, int threads) {
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(threads);
            Sequential apart = net(shape, false), fused = net(shape, true);
            int[] full = new int[shape.length + 1];
            full[0] = rows;
            System.arraycopy(shape, 0, full, 1, shape.length);
            Tensor x = LayerGradients.uniform(11, -2, 3, full);
            Tensor dy = LayerGradients.uniform(12, -1, 1, full);
            String what = java.util.Arrays.toString(shape) + " x " + rows + " on " + threads + " threads";
            assertThat(fused.forward(x, true).toArray()).as("training output, %s", what).containsExactly(apart.forward(x, true).toArray());
            assertThat(fused.backward(dy).toArray()).as("dx, %s", what).containsExactly(apart.backward(dy).toArray());
            for (String p : new String[] {"batchnorm0.gamma", "batchnorm0.beta"}) {
                assertThat(fused.params().grad(p).toArray()).as("%s gradient, %s", p, what).containsExactly(apart.params().grad(p).toArray());
            }
            assertThat(fused.params().value("batchnorm0.running_var").toArray()).containsExactly(apart.params().value("batchnorm0.running_var").toArray());
            assertThat(fused.forward(x, false).toArray()).as("evaluation output, %s", what).containsExactly(apart.forward(x, false).toArray());
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static Sequential net(int[] shape, boolean fuse) {
        BatchNorm norm = new BatchNorm();
        ReLU relu = new ReLU();
        if (fuse) norm.absorbRelu(relu);
        Sequential net = new Sequential(shape, norm, relu).initialize(new Rng(5));
        Rng rng = new Rng(6);
        for (String p : new String[] {"batchnorm0.gamma", "batchnorm0.beta", "batchnorm0.running_mean"}) {
            Tensor t = net.params().value(p);
            for (int i = 0; i < t.size(); i++) t.data[t.offset + i] = (float) (2 * rng.nextDouble() - 1);
        }
        Tensor v = net.params().value("batchnorm0.running_var");
        for (int i = 0; i < v.size(); i++) v.data[v.offset + i] = (float) (0.5 + rng.nextDouble());
        return net;
    }
}
