package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A convolution split into parts that the threads claim as they come free gives the same bits whichever thread ran
 * which part: a normal run on two threads against one where the only kernel worker is kept busy elsewhere, so the
 * caller claims every part itself; for the direct 3x3 path, the stride-2 path and im2col's.
 */
class Conv2dClaimOrderTest {

    @Test
    void the_same_bits_whichever_thread_claims_the_parts() throws Exception {
        assertSameBits(() -> new Conv2d(8, 3, 1), new int[] {4, 16, 16});
        assertSameBits(() -> new Conv2d(8, new WindowGeometry(3, 2, 1), false, new He(), true), new int[] {4, 32, 32});
        assertSameBits(() -> new Conv2d(6, 5, 2), new int[] {3, 12, 12});
    }

    private static void assertSameBits(java.util.function.Supplier<Conv2d> conv, int[] in) throws Exception {
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(2);
            int rows = 37;
            Tensor x = LayerGradients.uniform(51, -1, 1, rows, in[0], in[1], in[2]);
            float[][] normal = pass(conv, in, x);
            // Hold the pool's one worker (and the other caller) in the tasks of another call, so that this call's caller
            // runs every part.
            CountDownLatch started = new CountDownLatch(2), release = new CountDownLatch(1);
            Thread hog = new Thread(() -> Parallelism.forEachTask(2, t -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            hog.start();
            started.await();
            float[][] alone;
            try {
                alone = pass(conv, in, x);
            } finally {
                release.countDown();
                hog.join();
            }
            String what = java.util.Arrays.toString(in);
            assertThat(alone[0]).as("output, %s", what).containsExactly(normal[0]);
            assertThat(alone[1]).as("dx, %s", what).containsExactly(normal[1]);
            assertThat(alone[2]).as("weight gradient, %s", what).containsExactly(normal[2]);
        } finally {
            Parallelism.setThreads(before);
        }
    }

    private static float[][] pass(java.util.function.Supplier<Conv2d> conv, int[] in, Tensor x) {
        Sequential net = new Sequential(in, conv.get()).initialize(new Rng(9));
        Tensor y = net.forward(x, true);
        Tensor dy = LayerGradients.uniform(52, -1, 1, y.shape());
        float[] dx = net.backward(dy).toArray();
        return new float[][] {y.toArray(), dx, net.params().grad("conv0.weight").toArray()};
    }
}
