package dev.nnlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The fused vector softmax cross-entropy against its scalar double-precision twin: tails, 1xN, Nx1, in place, threads. */
class SoftmaxCrossEntropyRowsTest {
    private static final int L = VectorWidth.FLOATS.length();

    @AfterEach
    void restoreThreads() { Parallelism.setThreads(Runtime.getRuntime().availableProcessors()); }

    @Test
    void matches_the_reference_on_awkward_shapes_separate_and_in_place() {
        int[][] shapes = {{1, 1}, {1, 10_000}, {7, 1}, {3, L - 1}, {5, L + 1}, {4, 2 * L + 3}, {9, 1031}, {40, 10_001}};
        for (int[] sh : shapes) {
            for (boolean inPlace : new boolean[] {false, true}) check(sh[0], sh[1], inPlace, 1);
        }
    }

    @Test
    void splits_rows_over_threads_with_the_same_result() {
        Parallelism.setThreads(2);
        check(33, 4099, true, 2);
        check(33, 4099, false, 2);
    }

    @Test
    void terms_more_than_87_below_the_row_max_count_zero_and_the_results_still_match() {
        // e^(x - max) below the smallest normal float: the kernel's exp gives 0, the reference a subnormal or 0.
        check(5, 2 * L + 3, true, 3, 100f);
        check(3, 1031, false, 3, 150f);
    }

    private static void check(int rows, int cols, boolean inPlace, long seed) { check(rows, cols, inPlace, seed, 60f); }

    private static void check(int rows, int cols, boolean inPlace, long seed, float top) {
        SplittableRandom r = new SplittableRandom(rows * 131L + cols + seed);
        int off = 3;
        float[] x = new float[off + rows * cols];
        for (int i = off; i < x.length; i++) x[i] = (float) r.nextDouble(-8, 8);
        x[off] = top; // a large logit: the shift by the row max keeps exp finite
        int[] targets = new int[rows];
        for (int i = 0; i < rows; i++) targets[i] = r.nextInt(cols);
        if (rows > 2) targets[1] = -1; // ignored
        targets[0] = 0;                // the arg-max of row 0
        float scale = 1f / rows;
        float[] want = new float[rows * cols];
        SoftmaxCrossEntropyRows.Totals ref = SoftmaxCrossEntropyRowsReference.lossAndGradient(rows, cols, x, off, targets, -1, scale, want, 0);
        float[] g = inPlace ? x : new float[rows * cols];
        SoftmaxCrossEntropyRows.Totals got = SoftmaxCrossEntropyRows.lossAndGradient(rows, cols, x, off, targets, -1, scale, g, inPlace ? off : 0);
        String what = rows + "x" + cols + (inPlace ? " in place" : "");
        assertThat(got.lossSum()).as("loss %s", what).isCloseTo(ref.lossSum(), within(1e-5 * Math.max(1, Math.abs(ref.lossSum()))));
        assertThat(got.correct()).as("correct %s", what).isEqualTo(ref.correct());
        assertThat(got.correct()).as("row 0's target is its arg-max").isGreaterThanOrEqualTo(1);
        int gOff = inPlace ? off : 0;
        // One assertion over the worst element: AssertJ per element would cost seconds on 400,000 values.
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < rows * cols; i++) {
            double excess = Math.abs(g[gOff + i] - want[i]) - (1e-6 * scale + 2e-6 * Math.abs(want[i]));
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        assertThat(worst).as("%s: gradient element beyond tolerance (-1: none)", what).isEqualTo(-1);
        if (rows > 2) {
            boolean zero = true;
            for (int c = 0; c < cols; c++) zero &= g[gOff + cols + c] == 0f;
            assertThat(zero).as("the ignored row's gradient is zero").isTrue();
        }
    }
}
