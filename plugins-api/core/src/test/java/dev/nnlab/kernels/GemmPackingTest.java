package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Panel layouts written by {@link GemmPacking}, element by element, with the zero padding of partial panels. */
class GemmPackingTest {
    private static final boolean[] BOOLS = {false, true};
    /** Outside the [-1, 1] of the inputs: marks destination elements a transpose must not write. */
    private static final float UNTOUCHED = -7f;

    @Test
    void packed_a_panels_hold_op_a_transposed_per_panel_and_zeros_past_the_last_row() {
        SplittableRandom r = new SplittableRandom(7);
        for (boolean trans : BOOLS) {
            for (int mr : new int[] {6, 12}) {
                for (int[] s : new int[][] {{1, 1}, {5, 3}, {6, 4}, {13, 9}, {25, 1}, {7, 17}}) {
                    int mc = s[0], kc = s[1], i0 = 2, p0 = 3, m = i0 + mc + 1, k = p0 + kc + 2;
                    int lda = (trans ? m : k) + 3, off = 5;
                    float[] a = random(r, off + (trans ? k : m) * lda);
                    int panels = (mc + mr - 1) / mr;
                    float[] dst = filled(panels * mr * kc + 16, Float.NaN);
                    GemmPacking.packA(trans, a, off, lda, i0, mc, p0, kc, mr, dst, new int[GemmPacking.indexLength()]);
                    for (int q = 0; q < panels; q++) {
                        for (int p = 0; p < kc; p++) {
                            for (int rr = 0; rr < mr; rr++) {
                                int i = q * mr + rr;
                                float expected = i >= mc ? 0f
                                        : trans ? a[off + (p0 + p) * lda + i0 + i] : a[off + (i0 + i) * lda + p0 + p];
                                assertThat(dst[q * mr * kc + p * mr + rr])
                                        .as("trans %s, mr %d, mc %d, kc %d: panel %d, p %d, r %d", trans, mr, mc, kc, q, p, rr)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void packed_b_panels_hold_op_b_rows_per_panel_and_zeros_past_the_last_column() {
        SplittableRandom r = new SplittableRandom(8);
        for (boolean trans : BOOLS) {
            for (int nr : new int[] {8, 16, 32}) {
                for (int[] s : new int[][] {{1, 1}, {3, 5}, {4, 16}, {9, 33}, {1, 40}, {17, 7}}) {
                    int kc = s[0], nc = s[1], p0 = 1, j0 = 4, k = p0 + kc + 2, n = j0 + nc + 3;
                    int ldb = (trans ? k : n) + 2, off = 3;
                    float[] b = random(r, off + (trans ? n : k) * ldb);
                    int panels = (nc + nr - 1) / nr;
                    float[] dst = filled(panels * nr * kc + 16, Float.NaN);
                    GemmPacking.packB(trans, b, off, ldb, p0, kc, j0, nc, nr, dst, new int[GemmPacking.indexLength()]);
                    for (int q = 0; q < panels; q++) {
                        for (int p = 0; p < kc; p++) {
                            for (int jj = 0; jj < nr; jj++) {
                                int j = q * nr + jj;
                                float expected = j >= nc ? 0f
                                        : trans ? b[off + (j0 + j) * ldb + p0 + p] : b[off + (p0 + p) * ldb + j0 + j];
                                assertThat(dst[q * nr * kc + p * nr + jj])
                                        .as("trans %s, nr %d, kc %d, nc %d: panel %d, p %d, j %d", trans, nr, kc, nc, q, p, jj)
                                        .isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void scalar_transpose_matches_its_definition_for_every_row_count() {
        checkTranspose(false);
    }

    @Test
    void transpose_in_4x4_blocks_matches_its_definition_for_every_row_count_and_column_tail() {
        checkTranspose(true);
    }

    private static void checkTranspose(boolean blocks) {
        SplittableRandom r = new SplittableRandom(9);
        for (int rows = 1; rows <= 17; rows++) {
            for (int kc : new int[] {1, 2, 3, 4, 5, 8, 11, 16, 19}) {
                int ld = kc + 4, stride = rows + 3;
                float[] src = random(r, 2 + rows * ld);
                float[] dst = filled(1 + kc * stride, UNTOUCHED);
                if (blocks) {
                    GemmPacking.transpose4x4(src, 2, ld, rows, kc, dst, 1, stride);
                } else {
                    GemmPacking.transposeScalar(src, 2, ld, rows, kc, dst, 1, stride);
                }
                for (int p = 0; p < kc; p++) {
                    for (int i = 0; i < stride; i++) {
                        float expected = i < rows ? src[2 + i * ld + p] : UNTOUCHED;
                        assertThat(dst[1 + p * stride + i]).as("rows %d, kc %d, p %d, r %d", rows, kc, p, i).isEqualTo(expected);
                    }
                }
            }
        }
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    private static float[] filled(int n, float v) {
        float[] x = new float[n];
        java.util.Arrays.fill(x, v);
        return x;
    }
}
