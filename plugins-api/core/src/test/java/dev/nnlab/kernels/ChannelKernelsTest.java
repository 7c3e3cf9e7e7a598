package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Batch norm's SIMD passes against their plain loops, on runs around the vector length and odd offsets. */
class ChannelKernelsTest {
    private static final int L = VectorWidth.FLOATS.length();
    private static final int OFF = 3;
    private static final int[] SIZES = {0, 1, L - 1, L, L + 1, 2 * L - 1, 2 * L, 2 * L + 1, 3 * L + 5, 49, 196, 1031};

    @Test
    void every_pass_matches_its_plain_loop() {
        for (int n : SIZES) {
            SplittableRandom r = new SplittableRandom(n);
            float[] x = random(r, n + 2 * OFF), g = random(r, n + 2 * OFF);
            float mean = 0.3f, inv = 1.7f;
            assertThat(ChannelKernels.sumSquaredDeviations(n, x, OFF, mean)).as("squares of %d", n)
                    .isCloseTo(ChannelKernelsReference.sumSquaredDeviations(n, x, OFF, mean), within(1e-4f * (n + 1)));

            float[] y1 = new float[n + 2 * OFF], y2 = new float[n + 2 * OFF];
            ChannelKernels.normalize(n, x, OFF, mean, -0.8f * inv, 0.25f, y1, OFF + 1);
            ChannelKernelsReference.normalize(n, x, OFF, mean, -0.8f * inv, 0.25f, y2, OFF + 1);
            close("normalized", n, y1, y2);


            ChannelKernels.scaleShift(n, x, OFF, 1.5f, -0.5f, y1, 1);
            ChannelKernelsReference.scaleShift(n, x, OFF, 1.5f, -0.5f, y2, 1);
            close("scaleShift", n, y1, y2);

            ChannelKernels.combine(n, 2f, g, 1, -0.7f, x, OFF, mean, 0.1f, y1, 2);
            ChannelKernelsReference.combine(n, 2f, g, 1, -0.7f, x, OFF, mean, 0.1f, y2, 2);
            close("combine", n, y1, y2);
        }
    }

    /** The channel-wide sums over runs of a batch: runs shorter than a vector, of one value, tails, blocks of several runs. */
    @Test
    void channel_sums_over_strided_runs_match_their_plain_loops() {
        int[][] shapes = {{1, 1}, {7, 1}, {3, L - 1}, {5, L}, {2, L + 1}, {9, 2 * L + 3}, {40, 64}, {130, 16}, {3, 1031}, {17, 49}};
        for (int[] sh : shapes) {
            int runs = sh[0], len = sh[1], stride = 3 * len + 2;
            SplittableRandom r = new SplittableRandom(runs * 31L + len);
            float[] x = random(r, OFF + runs * stride), g = random(r, OFF + runs * stride);
            float mean = 0.2f;
            String what = runs + " runs of " + len;
            double tol = 1e-5 * runs * len + 1e-6;
            assertThat(ChannelKernels.sum(runs, len, stride, x, OFF)).as("sum, %s", what)
                    .isCloseTo(ChannelKernelsReference.sum(runs, len, stride, x, OFF), within(tol));
            assertThat(ChannelKernels.sumSquaredDeviations(runs, len, stride, x, OFF, mean)).as("squares, %s", what)
                    .isCloseTo(ChannelKernelsReference.sumSquaredDeviations(runs, len, stride, x, OFF, mean), within(tol));
            double[] fast = new double[2], ref = new double[2];
            ChannelKernels.gradientSums(runs, len, stride, g, OFF, x, OFF, mean, fast);
            ChannelKernelsReference.gradientSums(runs, len, stride, g, OFF, x, OFF, mean, ref);
            assertThat(fast[0]).as("sum g, %s", what).isCloseTo(ref[0], within(tol));
            assertThat(fast[1]).as("sum g (x - mean), %s", what).isCloseTo(ref[1], within(tol));
        }
    }

    @Test
    void values_outside_the_run_are_left_alone() {
        float[] x = {9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9}, y = new float[x.length];
        java.util.Arrays.fill(y, -1f);
        ChannelKernels.scaleShift(9, x, 1, 2f, 0f, y, 1);
        assertThat(y[0]).isEqualTo(-1f);
        assertThat(y[10]).isEqualTo(-1f);
        assertThat(y[9]).isEqualTo(18f);
    }

    private static void close(String what, int n, float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("%s of %d at %d", what, n, i).isCloseTo(b[i], within(1e-5f));
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextDouble(-2, 2);
        return v;
    }
}
