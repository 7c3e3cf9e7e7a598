package dev.nnlab.training;

import dev.nnlab.tensor.Rng;

import dev.nnlab.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MiniBatchesTest {

    /** 10 samples of shape (2, 2); every element of sample i is 100 i + position, the label is i. */
    private static Tensor features() {
        Tensor x = Tensor.zeros(10, 2, 2);
        for (int i = 0; i < 10; i++) for (int k = 0; k < 4; k++) x.data[i * 4 + k] = 100 * i + k;
        return x;
    }

    private static int[] labels() {
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) y[i] = i;
        return y;
    }

    @Test
    void an_epoch_visits_every_sample_once_with_a_smaller_last_batch() {
        MiniBatches mb = new MiniBatches(features(), labels(), 4, false, new Rng(3));
        mb.shuffle(0);
        assertThat(mb.batchCount()).isEqualTo(3);
        int[] seen = new int[10];
        int[] sizes = new int[3];
        for (int b = 0; b < 3; b++) {
            sizes[b] = mb.load(b);
            Tensor x = mb.features();
            int[] y = mb.labels();
            assertThat(x.shape()).containsExactly(sizes[b], 2, 2);
            assertThat(y).hasSize(sizes[b]);
            for (int r = 0; r < sizes[b]; r++) {
                seen[y[r]]++;
                assertThat(mb.sampleIndex(b, r)).isEqualTo(y[r]);
                for (int k = 0; k < 4; k++) assertThat(x.data[x.offset + r * 4 + k]).isEqualTo(100f * y[r] + k);
            }
        }
        assertThat(sizes).containsExactly(4, 4, 2);
        assertThat(seen).containsOnly(1);
    }

    @Test
    void a_batch_large_enough_to_copy_on_two_threads_holds_every_row_and_label_of_its_order() {
        int n = 300, row = 784; // 64 rows of 784 floats: more than a copy grain per extra thread
        Tensor x = Tensor.zeros(n, row);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = 1000 + i;
            for (int k = 0; k < row; k++) x.data[i * row + k] = i * 1000 + k;
        }
        assertThat((long) 64 * row).isGreaterThan(2 * MiniBatches.COPY_GRAIN);
        dev.nnlab.kernels.Parallelism.setThreads(2);
        try {
            MiniBatches mb = new MiniBatches(x, y, 64, false, new Rng(7));
            mb.shuffle(1);
            for (int b = 0; b < mb.batchCount(); b++) {
                int rows = mb.load(b);
                Tensor f = mb.features();
                for (int r = 0; r < rows; r++) {
                    int sample = mb.sampleIndex(b, r);
                    assertThat(mb.labels()[r]).isEqualTo(1000 + sample);
                    for (int k = 0; k < row; k += 97) assertThat(f.data[f.offset + r * row + k]).isEqualTo(sample * 1000f + k);
                    assertThat(f.data[f.offset + r * row + row - 1]).isEqualTo(sample * 1000f + row - 1);
                }
            }
        } finally {
            dev.nnlab.kernels.Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
        }
    }

    /** n rows of pixels as the unit scaling makes them: (k - 0) * (1f / 255f). */
    private static Tensor pixels(int n, int row, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, row);
        for (int i = 0; i < x.data.length; i++) x.data[i] = (r.nextInt(256) - 0f) * (1f / 255f);
        return x;
    }

    /** Every row of every batch of the epoch holds the bits of its sample's row in {@code x}. */
    private static void assertEpochExact(MiniBatches mb, Tensor x, int epoch) {
        int row = x.cols();
        mb.shuffle(epoch);
        for (int b = 0; b < mb.batchCount(); b++) {
            int rows = mb.load(b);
            Tensor f = mb.features();
            for (int r = 0; r < rows; r++) {
                int sample = mb.sampleIndex(b, r);
                assertThat(mb.labels()[r]).isEqualTo(sample);
                for (int k = 0; k < row; k++) {
                    if (Float.floatToRawIntBits(f.data[f.offset + r * row + k]) != Float.floatToRawIntBits(x.data[sample * row + k])) {
                        throw new AssertionError("epoch " + epoch + " batch " + b + " row " + r + " (sample " + sample + ") feature " + k
                                + ": " + f.data[f.offset + r * row + k] + " instead of " + x.data[sample * row + k]);
                    }
                }
            }
        }
    }

    private static int[] identityLabels(int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i;
        return y;
    }

    @Test
    void batches_decoded_from_pixel_codes_hold_the_bits_of_the_float_rows() {
        int n = 300, row = 784;
        Tensor x = pixels(n, row, 5);
        byte[] codes = new byte[n * row];
        assertThat(dev.nnlab.kernels.PixelBytes.encode(codes.length, x.data, 0, codes, 0)).isTrue();
        for (int threads : new int[] {1, 2}) {
            dev.nnlab.kernels.Parallelism.setThreads(threads);
            try {
                MiniBatches mb = new MiniBatches(x, identityLabels(n), codes, 64, false, new Rng(7));
                assertThat(mb.fromCodes()).isTrue();
                assertEpochExact(mb, x, 1);
                assertEpochExact(mb, x, 2);
                MiniBatches dropping = new MiniBatches(x, identityLabels(n), codes, 64, true, new Rng(7));
                assertEpochExact(dropping, x, 3);
            } finally {
                dev.nnlab.kernels.Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    @Test
    void codes_of_another_length_than_the_features_are_refused() {
        Tensor x = pixels(10, 8, 1);
        assertThatThrownBy(() -> new MiniBatches(x, identityLabels(10), new byte[79], 4, false, new Rng(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("79 pixel codes for 80 features");
    }

    @Test
    void drop_last_skips_the_incomplete_batch() {
        MiniBatches mb = new MiniBatches(features(), labels(), 4, true, new Rng(3));
        assertThat(mb.batchCount()).isEqualTo(2);
        assertThatThrownBy(() -> mb.load(2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void batch_buffers_are_reused_not_reallocated() {
        MiniBatches mb = new MiniBatches(features(), labels(), 4, false, new Rng(3));
        mb.shuffle(0);
        mb.load(0);
        float[] data = mb.features().data;
        int[] y = mb.labels();
        mb.load(1);
        assertThat(mb.features().data).isSameAs(data);
        assertThat(mb.labels()).isSameAs(y);
        mb.shuffle(1);
        mb.load(0);
        assertThat(mb.features().data).isSameAs(data);
    }

    @Test
    void order_depends_only_on_seed_and_epoch() {
        MiniBatches a = new MiniBatches(features(), labels(), 10, false, new Rng(3));
        MiniBatches b = new MiniBatches(features(), labels(), 10, false, new Rng(3));
        a.shuffle(0);
        a.shuffle(1);
        a.load(0);
        int[] epoch1 = a.labels().clone();
        b.shuffle(1); // without going through epoch 0 first, as a resumed run does
        b.load(0);
        assertThat(b.labels()).containsExactly(epoch1);
        a.shuffle(0);
        a.load(0);
        assertThat(Arrays.equals(a.labels(), epoch1)).isFalse();
        MiniBatches c = new MiniBatches(features(), labels(), 10, false, new Rng(4));
        c.shuffle(1);
        c.load(0);
        assertThat(Arrays.equals(c.labels(), epoch1)).isFalse();
    }

    @Test
    void in_order_gives_the_stored_order_for_evaluation() {
        MiniBatches mb = new MiniBatches(features(), null, 4, false, new Rng(3));
        mb.shuffle(5);
        mb.inOrder();
        mb.load(2);
        assertThat(mb.labels()).isNull();
        assertThat(mb.features().data[0]).isEqualTo(800f);
        assertThat(mb.features().data[4]).isEqualTo(900f);
    }
}
