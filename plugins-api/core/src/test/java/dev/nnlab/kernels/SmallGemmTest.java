package dev.nnlab.kernels;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SmallGemm} against {@link SgemmReference} on shapes around its register tiles (4 rows by 3 vectors, 5 by 4, 2 by 5 dots). */
class SmallGemmTest {
    private static final int L = SmallGemm.lanes();

    @AfterEach
    void restoreThreads() { Parallelism.setThreads(Runtime.getRuntime().availableProcessors()); }

    private static List<int[]> shapes() {
        List<int[]> s = new ArrayList<>(List.of(
                new int[] {1, 1, 1}, new int[] {1, 97, 33}, new int[] {97, 1, 33}, new int[] {40, 50, 1},
                new int[] {1, 1, 300}, new int[] {5, 7, 3}, new int[] {64, 10, 784}, new int[] {10, 784, 64},
                new int[] {64, 256, 10}, new int[] {3, 3 * L, 5}, new int[] {4, 3 * L + 1, L - 1}, new int[] {7, 4 * L - 1, L + 1},
                new int[] {4, L, 2 * L}, new int[] {5, 2 * L, 3 * L + 3}, new int[] {9, 11, 1}, new int[] {2, 5, 1},
                // B strips longer than SmallGemm.PACK_MAX_FLOATS are read in place even with many rows
                new int[] {9, 3 * L + 1, SmallGemm.PACK_MAX_FLOATS / (3 * L) + 7}));
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 6; i++) s.add(new int[] {r.nextInt(1, 40), r.nextInt(1, 80), r.nextInt(1, 60)});
        return s;
    }

    private static float[] random(int n, SplittableRandom r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }

    @Test
    void panel_matches_the_reference_for_both_operand_layouts_with_and_without_accumulation_and_bias() {
        SplittableRandom r = new SplittableRandom(1);
        for (int[] s : shapes()) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean acc : new boolean[] {false, true}) {
                    int pad = 3, off = 2;
                    int lda = (transA ? m : k) + pad, ldb = n + pad, ldc = n + 1;
                    float[] a = random(off + (transA ? k : m) * lda, r), b = random(off + k * ldb, r);
                    float[] bias = acc ? null : random(n + off, r);
                    float[] c = random(off + m * ldc, r), expected = c.clone();
                    SgemmReference.gemm(transA, false, m, n, k, 1f, a, off, lda, b, off, ldb, acc ? 1f : 0f, expected, off, ldc);
                    if (bias != null) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) expected[off + i * ldc + j] += bias[off + j];
                    SmallGemm.panel(m, n, k, a, off, transA ? 1 : lda, transA ? lda : 1, b, off, ldb, acc, bias, off, c, off, ldc);
                    assertClose(c, expected, k, m + "x" + n + "x" + k + " transA=" + transA + " acc=" + acc);
                }
            }
        }
    }

    @Test
    void dots_match_the_reference_product_with_b_transposed() {
        SplittableRandom r = new SplittableRandom(2);
        for (int[] s : shapes()) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean acc : new boolean[] {false, true}) {
                int off = 1, lda = k + 2, ldb = k + 1, ldc = n + 3;
                float[] a = random(off + m * lda, r), b = random(off + n * ldb, r);
                float[] bias = acc ? null : random(n + off, r);
                float[] c = random(off + m * ldc, r), expected = c.clone();
                SgemmReference.gemm(false, true, m, n, k, 1f, a, off, lda, b, off, ldb, acc ? 1f : 0f, expected, off, ldc);
                if (bias != null) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) expected[off + i * ldc + j] += bias[off + j];
                SmallGemm.dots(m, n, k, a, off, lda, b, off, ldb, acc, bias, off, c, off, ldc);
                assertClose(c, expected, k, m + "x" + n + "x" + k + " acc=" + acc);
            }
        }
    }

    @Test
    void a_product_split_across_two_threads_equals_the_one_thread_result_exactly() {
        SplittableRandom r = new SplittableRandom(3);
        int m = 64, n = 256 + 2 * L + 3, k = 300;
        float[] a = random(m * k, r), b = random(k * n, r), bt = random(n * k, r);
        float[] one = new float[m * n], two = new float[m * n], dotOne = new float[m * n], dotTwo = new float[m * n];
        Parallelism.setThreads(1);
        SmallGemm.panel(m, n, k, a, 0, k, 1, b, 0, n, false, null, 0, one, 0, n);
        SmallGemm.dots(m, n, k, a, 0, k, bt, 0, k, false, null, 0, dotOne, 0, n);
        Parallelism.setThreads(2);
        SmallGemm.panel(m, n, k, a, 0, k, 1, b, 0, n, false, null, 0, two, 0, n);
        SmallGemm.dots(m, n, k, a, 0, k, bt, 0, k, false, null, 0, dotTwo, 0, n);
        assertThat(two).containsExactly(one);
        assertThat(dotTwo).containsExactly(dotOne);
    }

    @Test
    void a_product_with_few_columns_split_by_rows_equals_the_one_thread_result_exactly() {
        // Fewer columns than a 3-vector panel per task: two threads cut the rows instead (an awkward count, not
        // whole tiles), for both operand layouts (W3's fc128 forward, and its dW with A read down columns).
        SplittableRandom r = new SplittableRandom(5);
        int[][] shapes = {{67, 2 * L + 5, 450}, {64, 128, 3136}, {3137, 2 * L + 1, 64}, {90, 3 * L - 1, 800}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = (int) Math.max(s[2], SmallGemm.PARALLEL_FMAS / ((long) m * n) + 1); // split at any width
            assertThat((long) m * n * k).isGreaterThanOrEqualTo(SmallGemm.PARALLEL_FMAS);
            for (boolean transA : new boolean[] {false, true}) {
                for (boolean acc : new boolean[] {false, true}) {
                    int lda = (transA ? m : k) + 1, ldb = n + 2, ldc = n + 3;
                    float[] a = random((transA ? k : m) * lda, r), b = random(k * ldb, r);
                    float[] bias = acc ? null : random(n, r);
                    float[] start = random(m * ldc, r), one = start.clone(), two = start.clone(), expected = start.clone();
                    Parallelism.setThreads(1);
                    SmallGemm.panel(m, n, k, a, 0, transA ? 1 : lda, transA ? lda : 1, b, 0, ldb, acc, bias, 0, one, 0, ldc);
                    Parallelism.setThreads(2);
                    SmallGemm.panel(m, n, k, a, 0, transA ? 1 : lda, transA ? lda : 1, b, 0, ldb, acc, bias, 0, two, 0, ldc);
                    String what = m + "x" + n + "x" + k + " transA=" + transA + " acc=" + acc;
                    assertThat(two).as(what).containsExactly(one);
                    SgemmReference.gemm(transA, false, m, n, k, 1f, a, 0, lda, b, 0, ldb, acc ? 1f : 0f, expected, 0, ldc);
                    if (bias != null) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) expected[i * ldc + j] += bias[j];
                    assertClose(two, expected, k, what);
                }
            }
        }
    }

    @Test
    void copying_a_shared_strip_of_b_changes_no_bit() {
        // Row groups of 4 (below PACK_MIN_ROWS) read B in place; the same rows inside a 64-row call share a
        // copied strip. The sums are the same, in the same order, so the results are equal bit for bit.
        SplittableRandom r = new SplittableRandom(4);
        int m = 64, n = 3 * 3 * L + L + 5, k = 257;
        assertThat(m).isGreaterThanOrEqualTo(SmallGemm.PACK_MIN_ROWS);
        for (boolean transA : new boolean[] {false, true}) {
            for (boolean acc : new boolean[] {false, true}) {
                int lda = transA ? m : k, ldb = 256; // a power-of-two row stride, the case the copy is for
                float[] a = random((transA ? k : m) * lda, r), b = random(k * ldb, r);
                float[] bias = acc ? null : random(n, r);
                float[] start = random(m * n, r), whole = start.clone(), byGroups = start.clone();
                SmallGemm.panel(m, n, k, a, 0, transA ? 1 : lda, transA ? lda : 1, b, 0, ldb, acc, bias, 0, whole, 0, n);
                for (int i = 0; i < m; i += 4) {
                    SmallGemm.panel(4, n, k, a, transA ? i : i * lda, transA ? 1 : lda, transA ? lda : 1, b, 0, ldb, acc, bias, 0,
                            byGroups, i * n, n);
                }
                assertThat(whole).as("transA=%s acc=%s", transA, acc).containsExactly(byGroups);
            }
        }
    }

    @Test
    void every_tile_sums_each_element_as_the_one_row_kernels_do_bit_for_bit() {
        // The tiles (panel: 4x4 or 4x3, 5x4 for 5-15 rows, 4x1; dots: 2x5) differ in which elements share registers,
        // never in how one element is summed: a product equals itself computed one row of C at a time.
        SplittableRandom r = new SplittableRandom(5);
        int[][] shapes = {{10, 784, 64}, {10, 4 * L + 3, 9}, {5, 4 * L, 3}, {15, 9 * L + 5, 17}, {11, 5 * L - 1, 2},
                {64, 10, 784}, {7, 11, 3 * L + 5}, {2, 5, 1}, {3, 47, L + 1},
                // 4-vector tiles (at 16 lanes), a 6-vector rest as two 3s, 4 + 3, 4 + 1, row tails of the 4 x 4 tile
                {16, 8 * L, 5}, {17, 6 * L + 1, 9}, {4, 5 * L, 4}, {18, 7 * L, 3}, {64, 16 * L, 33}, {3, 4 * L, 2}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean acc : new boolean[] {false, true}) {
                float[] a = random(m * k, r), at = random(k * m, r), b = random(k * n, r), bt = random(n * k, r);
                float[] bias = acc ? null : random(n, r), start = random(m * n, r);
                float[] panel = start.clone(), panelRows = start.clone(), panelT = start.clone(), panelTRows = start.clone();
                float[] dots = start.clone(), dotRows = start.clone();
                SmallGemm.panel(m, n, k, a, 0, k, 1, b, 0, n, acc, bias, 0, panel, 0, n);
                SmallGemm.panel(m, n, k, at, 0, 1, m, b, 0, n, acc, bias, 0, panelT, 0, n); // A read down its columns
                SmallGemm.dots(m, n, k, a, 0, k, bt, 0, k, acc, bias, 0, dots, 0, n);
                for (int i = 0; i < m; i++) {
                    SmallGemm.panel(1, n, k, a, i * k, k, 1, b, 0, n, acc, bias, 0, panelRows, i * n, n);
                    SmallGemm.panel(1, n, k, at, i, 1, m, b, 0, n, acc, bias, 0, panelTRows, i * n, n);
                    SmallGemm.dots(1, n, k, a, i * k, k, bt, 0, k, acc, bias, 0, dotRows, i * n, n);
                }
                String what = m + "x" + n + "x" + k + " acc=" + acc;
                assertThat(panel).as("panel " + what).containsExactly(panelRows);
                assertThat(panelT).as("panel, A transposed, " + what).containsExactly(panelTRows);
                assertThat(dots).as("dots " + what).containsExactly(dotRows);
            }
        }
    }

    @Test
    void the_masked_last_columns_sum_each_element_as_the_scalar_loop_does_bit_for_bit() {
        // Columns past the last whole vector run in one masked vector per row (8-row tiles, then single rows):
        // each element is a fused multiply-add chain over p from zero, then the bias, then C when accumulating.
        SplittableRandom r = new SplittableRandom(9);
        int[][] shapes = {{64, 10, 784}, {1, 1, 1}, {7, L - 1, 5}, {8, 3, 1}, {9, L + 5, 13}, {17, 2 * L + 7, 2}, {784, 10, 64}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean acc : new boolean[] {false, true}) {
                int lda = k + 1, ldb = n + 2, ldc = n + 3;
                float[] a = random(m * lda, r), b = random(k * ldb, r);
                float[] bias = acc ? null : random(n, r), c = random(m * ldc, r), expected = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = n - n % L; j < n; j++) {
                        float sum = 0f;
                        for (int p = 0; p < k; p++) sum = Math.fma(a[i * lda + p], b[p * ldb + j], sum);
                        if (bias != null) sum += bias[j];
                        expected[i * ldc + j] = acc ? expected[i * ldc + j] + sum : sum;
                    }
                }
                SmallGemm.panel(m, n, k, a, 0, lda, 1, b, 0, ldb, acc, bias, 0, c, 0, ldc);
                for (int i = 0; i < m; i++) {
                    for (int j = n - n % L; j < ldc; j++) {
                        // the tail exactly, and the padding after each row of C untouched
                        assertThat(c[i * ldc + j]).as("%dx%dx%d acc=%s C[%d][%d]", m, n, k, acc, i, j).isEqualTo(expected[i * ldc + j]);
                    }
                }
            }
        }
    }

    @Test
    void a_bias_with_accumulation_is_refused() {
        float[] one = {1f};
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SmallGemm.panel(1, 1, 1, one, 0, 1, 1, one, 0, 1, true, one, 0, new float[1], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bias");
    }

    @Test
    void cuts_are_vector_aligned_and_cover_every_column() {
        assertThat(SmallGemm.cuts(256, 2, 24)).containsExactly(0, 120, 256);
        assertThat(SmallGemm.cuts(10, 2, 3)).containsExactly(0, 6, 10);
        assertThat(SmallGemm.cuts(5, 3, 8)).containsExactly(0, 0, 0, 5);
    }

    @Test
    void a_split_product_is_cut_into_one_task_per_thread_but_never_more_than_its_blocks() {
        // W2's 256 columns at 16 lanes: two tasks of 128 columns, the same two every step.
        assertThat(SmallGemm.tasks(2, 256, 16)).isEqualTo(2);
        assertThat(SmallGemm.cuts(256, SmallGemm.tasks(2, 256, 16), 16)).containsExactly(0, 128, 256);
        assertThat(SmallGemm.tasks(2, 10, 3)).isEqualTo(2);
        assertThat(SmallGemm.tasks(3, 40, 16)).isEqualTo(3);
        assertThat(SmallGemm.tasks(4, 40, 16)).isEqualTo(3);
        assertThat(SmallGemm.tasks(4, 5, 8)).isEqualTo(1);
    }

    @Test
    void transpose_handles_tails_of_its_blocks() {
        SplittableRandom r = new SplittableRandom(4);
        for (int[] s : new int[][] {{1, 1}, {1, 37}, {37, 1}, {17, 33}, {16, 16}, {40, 10}, {784, 10}, {33, 70}}) {
            int rows = s[0], cols = s[1];
            float[] src = random(rows * (cols + 1) + 2, r), dst = new float[cols * (rows + 2) + 1];
            SmallGemm.transpose(rows, cols, src, 2, cols + 1, dst, 1, rows + 2);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) assertThat(dst[1 + j * (rows + 2) + i]).isEqualTo(src[2 + i * (cols + 1) + j]);
            }
        }
    }

    @Test
    void a_transpose_split_across_threads_moves_every_element_once() {
        SplittableRandom r = new SplittableRandom(5);
        int lanes = SmallGemm.lanes();
        for (int[] s : new int[][] {{256, 256}, {3 * lanes + 5, 2000}, {2 * lanes, (int) SmallGemm.TRANSPOSE_GRAIN}}) {
            int rows = s[0], cols = s[1];
            assertThat((long) rows * cols).as("large enough to split").isGreaterThanOrEqualTo(2 * SmallGemm.TRANSPOSE_GRAIN);
            for (int threads : new int[] {2, 3}) {
                Parallelism.setThreads(threads);
                try {
                    float[] src = random(rows * (cols + 1) + 2, r), dst = new float[cols * (rows + 2) + 1];
                    SmallGemm.transpose(rows, cols, src, 2, cols + 1, dst, 1, rows + 2);
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < cols; j++) {
                            if (dst[1 + j * (rows + 2) + i] != src[2 + i * (cols + 1) + j]) {
                                throw new AssertionError(rows + "x" + cols + " on " + threads + " threads: (" + i + ", " + j + ")");
                            }
                        }
                    }
                } finally {
                    Parallelism.setThreads(Runtime.getRuntime().availableProcessors());
                }
            }
        }
    }

    @Test
    void add_transposed_adds_every_element_once_exactly_as_the_element_loop() {
        SplittableRandom r = new SplittableRandom(6);
        for (int[] s : new int[][] {{1, 1}, {1, 10}, {15, 3}, {16, 10}, {17, 1}, {40, 10}, {784, 10}, {33, 17}}) {
            int rows = s[0], cols = s[1], lds = rows + 3;
            float[] src = random(cols * lds + 2, r), dst = random(rows * cols + 1, r), expected = dst.clone();
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) expected[1 + i * cols + j] += src[2 + j * lds + i];
            }
            SmallGemm.addTransposed(rows, cols, src, 2, lds, dst, 1);
            assertThat(dst).as(rows + " x " + cols).containsExactly(expected);
        }
    }

    /** Float rounding of a k-term sum, and the untouched padding exactly. */
    private static void assertClose(float[] actual, float[] expected, int k, String what) {
        float tol = 1e-5f * (k + 4);
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i] - expected[i]) > tol) {
                throw new AssertionError(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }
}
