package dev.nnlab.plugins.cnn;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.layers.Conv2d;
import dev.nnlab.nn.Sequential;
import dev.nnlab.spi.MemoryEstimate;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.nnlab.plugins.cnn.ConvNetTest.CNN;
import static dev.nnlab.plugins.cnn.ConvNetTest.p;
import static org.assertj.core.api.Assertions.assertThat;

class ConvMemoryTest {

    @Test
    void the_estimate_counts_exactly_the_parameters_every_preset_builds() {
        for (String stack : new String[] {"w3", "lenet5", "vgg_small", "conv5x5x8s1p2,maxpool3s1,avgpool2,bn,gap,fc10"}) {
            Map<String, Object> params = CNN.params().resolve(p("layers", stack, "optimizer", "adam"), "$.params");
            Sequential net = LayerStack.parse(stack).build(new int[] {1, 28, 28}, 10);
            MemoryEstimate e = CNN.estimateMemory(params, new int[] {1, 28, 28}, 10);
            assertThat(e.parameters()).as(stack).isEqualTo(4L * net.params().size());
            assertThat(e.optimizerState()).as("Adam's m and v").isEqualTo(2 * 4L * net.params().size());
            assertThat(e.snapshots()).isEqualTo(4L * net.params().trainableCount());
        }
    }

    @Test
    void activations_include_the_im2col_buffers_and_a_wide_stack_at_a_huge_batch_runs_to_gibibytes() {
        Map<String, Object> small = CNN.params().resolve(p("layers", "conv3x3x32p1,relu,fc10", "batchSize", 1), "$.params");
        MemoryEstimate e = CNN.estimateMemory(small, new int[] {1, 28, 28}, 10);
        // 64 rows, the fewest an evaluation pass uses, x (input 784 + conv out 25,088 + its input gradient 784 + relu 2 x 25,088 + fc 10 + 25,088 + loss 20)
        // plus the 3x3 layer's weight-gradient sums per group of 2 samples (28x28 planes: 2048 / 864 floats) and bias sums per
        // sample (32 x 9 / 2 + 32); plus im2col and col2im: 2 x 9 x 784, and the private weight-gradient sums of the parts
        // of a split batch, and of a short last group per part.
        assertThat(Conv2d.gradientGroup(1, 32, 28, 28, new dev.nnlab.nn.layers.WindowGeometry(3, 1, 1))).isEqualTo(2);
        long perSample = 784 + 25_088 + 784 + 2 * 25_088 + 10 + 25_088 + 20 + 32 * 9 / 2 + 32;
        long partSums = 2L * Conv2d.PARTS_PER_THREAD * Parallelism.threads() * 32 * 9;
        assertThat(e.activations()).isEqualTo(4L * (64 * perSample + 2 * 9 * 784 + partSums));
        Map<String, Object> huge = CNN.params().resolve(p("layers", "conv3x3x512p1,relu,conv3x3x512p1,relu,fc10", "batchSize", 65536),
                "$.params");
        assertThat(CNN.estimateMemory(huge, new int[] {1, 28, 28}, 10).total()).isGreaterThan(100L << 30);
    }

    @Test
    void activations_include_the_buffers_of_the_passes_run_by_winograd_transforms() {
        Map<String, Object> small = CNN.params().resolve(p("layers", "conv3x3x32p1,relu,fc10", "batchSize", 1), "$.params");
        MemoryEstimate e = CNN.estimateMemory(small, new int[] {32, 16, 16}, 10);
        dev.nnlab.nn.layers.WindowGeometry same = new dev.nnlab.nn.layers.WindowGeometry(3, 1, 1);
        long winograd = Conv2d.winogradFloatsPerThread(32, 32, 16, 16, same);
        // At 16 lanes all three passes of a 32-channel 16x16 layer run by the transforms; elsewhere none.
        if (dev.nnlab.kernels.VectorWidth.bits() == 512) assertThat(winograd).isGreaterThan(16L * 32 * 32);
        else assertThat(winograd).isZero();
        assertThat(Conv2d.gradientGroup(32, 32, 16, 16, same)).as("the weight gradient as a product: no group sums").isZero();
        // 64 rows x (input + conv out + its input gradient + relu 2 x + fc 10 + its input gradient + loss 20), im2col and
        // col2im (2 x 288 x 256), the parts' weight-gradient sums, and the Winograd buffers per kernel thread.
        long perSample = 8192 + 8192 + 8192 + 2 * 8192 + 10 + 8192 + 20;
        long partSums = (long) Conv2d.PARTS_PER_THREAD * Parallelism.threads() * 32 * 288;
        assertThat(e.activations()).isEqualTo(4L * (64 * perSample + 2 * 288 * 256 + partSums + Parallelism.threads() * winograd));
    }
}
