package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class VectorOpsTest {
    private static final int L = VectorWidth.FLOATS.length();
    private static final int OFF = 3;

    /** Lengths around one, two and four vectors (the unrolled reductions), and longer odd ones. */
    private static final int[] SIZES = {0, 1, 2, L - 1, L, L + 1, 2 * L - 1, 2 * L + 3, 4 * L - 1, 4 * L,
            4 * L + 1, 5 * L + 7, 100, 1031};

    @Test
    void element_wise_ops_equal_the_reference_bit_for_bit() {
        for (int n : SIZES) {
            SplittableRandom r = new SplittableRandom(n);
            float[] x = withSpecials(random(r, n + 2 * OFF)), y = random(r, n + 2 * OFF);
            sameArrays("scale", n, y, v -> VectorOps.scale(n, -1.25f, v, OFF), v -> VectorOpsReference.scale(n, -1.25f, v, OFF));
            sameArrays("add", n, y, v -> VectorOps.add(n, x, OFF, v, OFF + 1, v, OFF), v -> VectorOpsReference.add(n, x, OFF, v, OFF + 1, v, OFF));
            sameArrays("mul", n, y, v -> VectorOps.mul(n, x, OFF, v, OFF, v, OFF), v -> VectorOpsReference.mul(n, x, OFF, v, OFF, v, OFF));
            sameArrays("relu", n, y, v -> VectorOps.relu(n, x, OFF, v, 1), v -> VectorOpsReference.relu(n, x, OFF, v, 1));
            sameArrays("addRelu", n, y, v -> VectorOps.addRelu(n, x, OFF, v, OFF + 1, v, OFF),
                    v -> VectorOpsReference.addRelu(n, x, OFF, v, OFF + 1, v, OFF));
            float[] dy = random(r, n + 2 * OFF);
            sameArrays("reluBackward", n, y, v -> VectorOps.reluBackward(n, x, OFF, dy, 0, v, 2),
                    v -> VectorOpsReference.reluBackward(n, x, OFF, dy, 0, v, 2));
            assertThat(VectorOps.max(n, x, OFF)).as("max of %d", n).isEqualTo(VectorOpsReference.max(n, x, OFF));
        }
    }

    @Test
    void relu_maps_negative_zero_to_zero_and_keeps_nan_like_math_max() {
        float[] x = new float[2 * L + 3];
        x[0] = -0f;
        x[1] = Float.NaN;
        x[L + 2] = -0f;
        x[2 * L + 2] = Float.NaN;
        float[] y = new float[x.length];
        VectorOps.relu(x.length, x, 0, y, 0);
        assertThat(Float.floatToRawIntBits(y[0])).isEqualTo(Float.floatToRawIntBits(0f));
        assertThat(Float.floatToRawIntBits(y[L + 2])).isEqualTo(Float.floatToRawIntBits(0f));
        assertThat(y[1]).isNaN();
        assertThat(y[2 * L + 2]).isNaN();
    }

    @Test
    void axpy_and_reductions_match_the_reference_within_float_rounding() {
        for (int n : SIZES) {
            SplittableRandom r = new SplittableRandom(100 + n);
            float[] x = random(r, n + 2 * OFF), y = random(r, n + 2 * OFF);
            float[] yv = y.clone(), yr = y.clone();
            VectorOps.axpy(n, 0.7f, x, OFF, yv, 1);
            VectorOpsReference.axpy(n, 0.7f, x, OFF, yr, 1);
            for (int i = 0; i < yv.length; i++) assertThat(yv[i]).as("axpy[%d] of %d", i, n).isCloseTo(yr[i], within(1e-6));
            double tol = 1e-6 * (n + 1); // every |term| <= 1, so n bounds the sum of magnitudes
            assertThat(VectorOps.sum(n, x, OFF)).as("sum of %d", n).isCloseTo(VectorOpsReference.sum(n, x, OFF), within(tol));
            assertThat(VectorOps.sumSquares(n, x, OFF)).as("sumSquares of %d", n)
                    .isCloseTo(VectorOpsReference.sumSquares(n, x, OFF), within(tol));
            assertThat(VectorOps.dot(n, x, OFF, y, 1)).as("dot of %d", n)
                    .isCloseTo(VectorOpsReference.dot(n, x, OFF, y, 1), within(tol));
        }
    }

    @Test
    void bias_add_and_bias_gradient_match_the_reference() {
        for (int cols : new int[] {1, L - 1, L + 3, 37}) {
            int rows = 5;
            SplittableRandom r = new SplittableRandom(cols);
            float[] v = random(r, cols + OFF), x = random(r, rows * cols + OFF);
            sameArrays("addRowVector", rows * cols, x, y -> VectorOps.addRowVector(rows, cols, v, OFF, y, OFF),
                    y -> VectorOpsReference.addRowVector(rows, cols, v, OFF, y, OFF));
            float[] out = random(r, cols + 2);
            sameArrays("sumRows", cols, out, o -> VectorOps.sumRows(rows, cols, x, OFF, o, 2),
                    o -> VectorOpsReference.sumRows(rows, cols, x, OFF, o, 2));
        }
    }

    @Test
    void softmax_and_log_sum_exp_match_the_reference_even_for_huge_logits() {
        for (int cols : new int[] {1, 2, L - 1, L + 1, 2 * L + 5, 100}) {
            int rows = 4;
            SplittableRandom r = new SplittableRandom(cols);
            float[] x = new float[rows * cols + OFF];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-30, 30);
            for (int c = 0; c < cols; c++) x[OFF + 2 * cols + c] += 1000f; // exp(1000) overflows unless shifted
            float[] yv = new float[x.length], yr = new float[x.length];
            VectorOps.softmaxRows(rows, cols, x, OFF, yv, OFF);
            VectorOpsReference.softmaxRows(rows, cols, x, OFF, yr, OFF);
            for (int i = OFF; i < x.length; i++) {
                assertThat(yv[i]).as("softmax[%d], cols %d", i, cols).isCloseTo(yr[i], within(2e-6 * yr[i] + 1e-30));
            }
            float[] lv = new float[rows], lr = new float[rows];
            VectorOps.logSumExpRows(rows, cols, x, OFF, lv, 0);
            VectorOpsReference.logSumExpRows(rows, cols, x, OFF, lr, 0);
            for (int i = 0; i < rows; i++) assertThat(lv[i]).isCloseTo(lr[i], within(1e-6 * Math.abs(lr[i]) + 1e-6));
            float[] inPlace = x.clone();
            VectorOps.softmaxRows(rows, cols, inPlace, OFF, inPlace, OFF);
            for (int i = OFF; i < x.length; i++) assertThat(inPlace[i]).isEqualTo(yv[i]);
        }
    }

    @Test
    void vectorised_exp_is_within_one_part_per_million_of_math_exp_over_the_softmax_range() {
        // After the max shift every exponent lies in (-inf, 0]; below -87.3 exp(x) is subnormal in float.
        int n = 20_000 + 7;
        float[] x = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (-87.0 * i / (n - 1));
        float s = VectorOps.expShifted(n, x, 0, 0f, y, 0);
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double e = Math.exp(x[i]);
            sum += e;
            if (Math.abs(y[i] - e) > 1e-6 * e) fail("exp(%s) = %s, Math.exp gives %s", x[i], y[i], e);
        }
        assertThat(s).isCloseTo((float) sum, within(1e-5 * sum));
    }

    private static org.assertj.core.data.Offset<Float> within(double tol) {
        return org.assertj.core.data.Offset.offset((float) tol);
    }

    /** Runs both versions on copies of {@code base}; every element (inside and outside the view) must match. */
    private static void sameArrays(String op, int n, float[] base, Consumer<float[]> fast, Consumer<float[]> ref) {
        float[] v = base.clone(), r = base.clone();
        fast.accept(v);
        ref.accept(r);
        for (int i = 0; i < v.length; i++) {
            if (Float.floatToIntBits(v[i]) != Float.floatToIntBits(r[i])) {
                fail("%s with n=%d: element %d is %s, reference %s", op, n, i, v[i], r[i]);
            }
        }
    }

    @Test
    void positive_bits_or_into_the_set_like_the_reference_and_keep_bits_already_set() {
        for (int n : SIZES) {
            SplittableRandom r = new SplittableRandom(31 + n);
            float[] x = withSpecials(random(r, n + 2 * OFF));
            if (n > 2) x[OFF + 2] = Float.NaN;
            long[] fast = new long[(n + 63) / 64 + 1], ref = new long[fast.length];
            fast[0] = ref[0] = 1L << 63; // a bit set by an earlier row survives
            VectorOps.orPositiveBits(n, x, OFF, fast);
            VectorOpsReference.orPositiveBits(n, x, OFF, ref);
            assertThat(fast).as("bits of %d values", n).containsExactly(ref);
            for (int i = 0; i < n; i++) {
                boolean set = (ref[i >>> 6] >>> (i & 63) & 1L) != 0;
                assertThat(set || i == 63).as("bit %d of %d for %f", i, n, x[OFF + i]).isEqualTo(x[OFF + i] > 0f || i == 63);
            }
            assertThat(VectorOps.anyPositive(n, x, OFF)).as("any of %d", n).isEqualTo(VectorOpsReference.anyPositive(n, x, OFF));
        }
    }

    @Test
    void any_positive_finds_a_single_positive_value_in_any_lane_and_ignores_zero_and_nan() {
        for (int at = 0; at < 3 * L + 2; at++) {
            float[] x = new float[3 * L + 2];
            x[0] = -0f;
            x[1] = Float.NaN;
            assertThat(VectorOps.anyPositive(x.length, x, 0)).isFalse();
            x[at] = Float.MIN_VALUE;
            assertThat(VectorOps.anyPositive(x.length, x, 0)).as("positive at %d", at).isTrue();
        }
    }

    private static float[] withSpecials(float[] x) {
        if (x.length > OFF + 1) x[OFF + 1] = -0f;
        if (x.length > OFF + L + 2) x[OFF + L + 2] = 0f;
        return x;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
