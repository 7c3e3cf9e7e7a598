package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.He;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On two threads the direct 3x3 convolution cuts its backward pass finer than its two weight-gradient parts (groups of
 * samples, or input-gradient chunks claimed after the parts), so that a slowed thread does not hold the other up. The
 * sums must still be those of the two parts computed one after the other, each over its samples in order, and added
 * in part order: the bits of before, checked here against the parts run that way (each group, or each sample's product, summed into the part in turn), for each of
 * the direct path's weight-gradient forms (grouped planes with and without bias, the product over flat rows, the
 * product over an image's pixels) and for the stride-2 path's groups, with batches that give a part three groups or more (the order of two sums would not show) and a short last group.
 */
class Conv2dBalancedBackwardTest {

    @Test
    void grouped_planes_wide_tile_give_the_bits_of_two_sequential_parts() {
        assertSameAsSequentialParts(16, 16, 32, 32, false, 14);
    }

    @Test
    void grouped_planes_with_bias_give_the_bits_of_two_sequential_parts() {
        assertSameAsSequentialParts(4, 8, 12, 12, true, 61);
    }

    @Test
    void the_product_over_flat_rows_gives_the_bits_of_two_sequential_parts() {
        assertSameAsSequentialParts(32, 32, 16, 16, false, 5);
        assertSameAsSequentialParts(8, 12, 10, 10, true, 19);
    }

    @Test
    void the_product_over_pixels_gives_the_bits_of_two_sequential_parts() {
        assertSameAsSequentialParts(64, 64, 8, 8, false, 5);
    }

    @Test
    void stride_two_groups_give_the_bits_of_two_sequential_parts() {
        // Rows for three groups in each part plus one sample: the order of the groups' sums shows in the bits.
        assertSameAsSequentialParts(2, 2, 4, 32, 32, false, 6 * new Conv3x3Stride2Direct(2, 4, 32, 32).group() + 1);
        assertSameAsSequentialParts(2, 3, 6, 14, 14, true, 6 * new Conv3x3Stride2Direct(3, 6, 14, 14).group() + 1);
    }

    @Test
    void a_batch_of_one_has_buffers_for_both_of_its_tasks() {
        // One sample is still two tasks on the product path (its part's weight gradient, its input-gradient chunk), which
        // two threads may run at once: each needs its own buffers. Repeated, because which thread claims what varies.
        for (int i = 0; i < 40; i++) assertSameAsSequentialParts(32, 32, 16, 16, false, 1);
    }

    private static void assertSameAsSequentialParts(int channels, int filters, int height, int width, boolean bias, int rows) {
        assertSameAsSequentialParts(1, channels, filters, height, width, bias, rows);
    }

    /** The backward pass of one part: its samples' weight and bias gradients added into dw and db, their dx written. */
    private interface PartBackward {
        void run(float[] x, float[] dy, float[] dx, float[] dw, float[] db, int first, int end);
    }

    /** A part as one thread ran it before the groups were claimed: each group in turn adds its sums into the part's dw, each sample its bias sums into db. */
    private static PartBackward groupsInTurn(GroupedGradient path, int filters) {
        return (x, dy, dx, dw, db, first, end) -> {
            for (int g0 = first; g0 < end; g0 += path.group()) {
                int count = Math.min(path.group(), end - g0);
                path.backwardGroup(x, 0, dy, 0, dx, 0, dw, g0, count, 0);
                for (int k = 0; db != null && k < count; k++) {
                    for (int f = 0; f < filters; f++) db[f] += path.biasSum(dy, 0, g0 + k, f);
                }
            }
        };
    }

    private static void assertSameAsSequentialParts(int stride, int channels, int filters, int height, int width, boolean bias, int rows) {
        int before = Parallelism.threads();
        try {
            Parallelism.setThreads(2);
            int[] in = {channels, height, width};
            Tensor x = LayerGradients.uniform(61, -1, 1, rows, channels, height, width);
            Sequential net = new Sequential(in, new Conv2d(filters, new WindowGeometry(3, stride, 1), bias, new He(), stride == 2))
                    .initialize(new Rng(5));
            Tensor y = net.forward(x, true);
            Tensor dy = LayerGradients.uniform(62, -1, 1, y.shape());
            float[] dx = net.backward(dy).toArray();
            float[] dw = net.params().grad("conv0.weight").toArray();
            float[] db = bias ? net.params().grad("conv0.bias").toArray() : null;
            Tensor w = net.params().value("conv0.weight");

            // The reference: two parts (Conv2d's PARTS_PER_THREAD x 2 threads), each summed in order, added in order.
            int parts = Conv2d.PARTS_PER_THREAD * 2;
            PartBackward part;
            if (stride == 1) {
                Conv3x3Direct direct = new Conv3x3Direct(channels, filters, height, width);
                direct.ensureParts(1);
                direct.packBackward(w.data, w.offset);
                part = direct.productGradient()
                        ? (xa, ga, dxa, dwa, dba, first, end) -> {
                            direct.backwardWeights(xa, 0, ga, 0, dwa, dba, first, end, 0);
                            direct.backwardInputs(ga, 0, dxa, 0, first, end, 0);
                        }
                        : groupsInTurn(direct, filters);
            } else {
                Conv3x3Stride2Direct direct = new Conv3x3Stride2Direct(channels, filters, height, width);
                direct.ensureParts(1);
                direct.packBackward(w.data, w.offset);
                part = groupsInTurn(direct, filters);
            }
            float[] refDx = new float[dx.length], refDw = new float[dw.length], refDb = new float[filters];
            float[] xs = x.toArray(), dys = dy.toArray();
            for (int t = 0; t < parts; t++) {
                float[] partDw = new float[dw.length], partDb = new float[filters];
                part.run(xs, dys, refDx, partDw, bias ? partDb : null, rows * t / parts, rows * (t + 1) / parts);
                for (int i = 0; i < refDw.length; i++) refDw[i] += partDw[i];
                for (int f = 0; f < filters; f++) refDb[f] += partDb[f];
            }
            String what = channels + "x" + height + "x" + width + " -> " + filters + " at stride " + stride;
            assertThat(dx).as("dx, %s", what).containsExactly(refDx);
            assertThat(dw).as("weight gradient, %s", what).containsExactly(refDw);
            if (bias) assertThat(db).as("bias gradient, %s", what).containsExactly(refDb);
            double norm = 0;
            for (float v : dw) norm += Math.abs(v);
            assertThat(norm).as("a real gradient, %s", what).isGreaterThan(0);
        } finally {
            Parallelism.setThreads(before);
        }
    }
}
