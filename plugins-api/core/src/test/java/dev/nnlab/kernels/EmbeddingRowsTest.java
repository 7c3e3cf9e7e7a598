package dev.nnlab.kernels;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EmbeddingRowsTest {
    /** word2vec's usual dimensions and the awkward ones around one and two vectors. */
    private static final int[] DIMS = {1, 7, 15, 17, 100, 300};

    @Test
    void padded_length_is_a_whole_number_of_vectors_and_never_shorter() {
        int lanes = EmbeddingRows.paddedLength(1);
        for (int d : DIMS) {
            int p = EmbeddingRows.paddedLength(d);
            assertThat(p).isGreaterThanOrEqualTo(d).isLessThan(d + lanes);
            assertThat(p % lanes).isZero();
        }
        assertThat(EmbeddingRows.paddedLength(lanes)).isEqualTo(lanes);
    }

    @Test
    void dot_matches_the_reference_on_awkward_and_padded_lengths_at_any_offset() {
        for (int d : DIMS) {
            for (int n : new int[] {d, EmbeddingRows.paddedLength(d)}) {
                SplittableRandom r = new SplittableRandom(d * 31L + n);
                float[] x = random(r, 3 * n + 5), y = random(r, 2 * n + 3);
                float v = EmbeddingRows.dot(n, x, n + 5, y, 3);
                float ref = EmbeddingRowsReference.dot(n, x, n + 5, y, 3);
                assertThat(v).as("dot of %d", n).isCloseTo(ref, within(1e-5f * (n + 1)));
            }
        }
    }

    @Test
    void fused_update_reads_the_old_target_row_for_the_work_row() {
        float[] in = {1, 2, 3}, out = {10, 20, 30}, work = {0, 0, 0};
        EmbeddingRows.accumulateAndUpdate(3, 0.5f, in, 0, out, 0, work, 0);
        assertThat(work).containsExactly(5, 10, 15);
        assertThat(out).containsExactly(10.5f, 21, 31.5f);
    }

    @Test
    void fused_update_and_axpy_match_the_reference_and_leave_neighbouring_floats_alone() {
        for (int d : DIMS) {
            for (int n : new int[] {d, EmbeddingRows.paddedLength(d)}) {
                SplittableRandom r = new SplittableRandom(7 * d + n);
                float[] in = random(r, n + 4), out = random(r, 2 * n + 2), work = random(r, n + 1);
                float[] outV = out.clone(), workV = work.clone(), outR = out.clone(), workR = work.clone();
                EmbeddingRows.accumulateAndUpdate(n, -0.3f, in, 4, outV, n + 2, workV, 1);
                EmbeddingRowsReference.accumulateAndUpdate(n, -0.3f, in, 4, outR, n + 2, workR, 1);
                for (int i = 0; i < out.length; i++) assertThat(outV[i]).as("out[%d] of %d", i, n).isCloseTo(outR[i], within(1e-6f));
                for (int i = 0; i < work.length; i++) assertThat(workV[i]).as("work[%d] of %d", i, n).isCloseTo(workR[i], within(1e-6f));
                assertThat(outV[n + 1]).isEqualTo(out[n + 1]);
                assertThat(workV[0]).isEqualTo(work[0]);

                float[] y = random(r, n + 3), yV = y.clone(), yR = y.clone();
                EmbeddingRows.axpy(n, 0.7f, in, 4, yV, 3);
                EmbeddingRowsReference.axpy(n, 0.7f, in, 4, yR, 3);
                for (int i = 0; i < y.length; i++) assertThat(yV[i]).as("axpy[%d] of %d", i, n).isCloseTo(yR[i], within(1e-6f));
                assertThat(yV[2]).isEqualTo(y[2]);
            }
        }
    }

    @Test
    void the_update_of_several_rows_matches_the_reference_for_every_row_count_and_leaves_other_rows_alone() {
        for (int d : DIMS) {
            for (int n : new int[] {d, EmbeddingRows.paddedLength(d)}) {
                for (int count = 0; count <= 7; count++) {
                    SplittableRandom r = new SplittableRandom(13L * d + 5L * n + count);
                    int rowsInTable = 9;
                    float[] in = random(r, n + 3), out = random(r, rowsInTable * n + 1), work = random(r, n + 2);
                    int[] rows = new int[count];
                    float[] g = new float[count];
                    // Distinct rows in shuffled order, one of them the table's last (its end is the array's last float but one).
                    for (int k = 0; k < count; k++) {
                        rows[k] = ((k * 5 + 3) % rowsInTable) * n;
                        g[k] = (float) (r.nextDouble() - 0.5);
                    }
                    float[] outV = out.clone(), workV = work.clone(), outR = out.clone(), workR = work.clone();
                    EmbeddingRows.accumulateAndUpdateRows(n, g, count, in, 3, outV, rows, workV, 1);
                    EmbeddingRowsReference.accumulateAndUpdateRows(n, g, count, in, 3, outR, rows, workR, 1);
                    for (int i = 0; i < out.length; i++) {
                        assertThat(outV[i]).as("out[%d], n %d, %d rows", i, n, count).isCloseTo(outR[i], within(1e-6f));
                    }
                    for (int i = 0; i < work.length; i++) {
                        assertThat(workV[i]).as("work[%d], n %d, %d rows", i, n, count).isCloseTo(workR[i], within(1e-5f));
                    }
                    assertThat(workV[0]).isEqualTo(work[0]);
                    assertThat(workV[n + 1]).isEqualTo(work[n + 1]);
                    assertThat(outV[out.length - 1]).isEqualTo(out[out.length - 1]);
                    if (count == 0) for (int i = 1; i <= n; i++) assertThat(workV[i]).isZero();
                }
            }
        }
    }

    @Test
    void the_update_of_several_rows_is_the_hand_computed_one() {
        float[] in = {1, 2}, out = {10, 20, 1, 1, 3, 4}, work = {9, 9};
        EmbeddingRows.accumulateAndUpdateRows(2, new float[] {0.5f, -1}, 2, in, 0, out, new int[] {4, 0}, work, 0);
        // work = 0.5 * (3, 4) - 1 * (10, 20), from the old rows; rows 4 and 0 move by g * in; row 2 untouched.
        assertThat(work).containsExactly(-8.5f, -18);
        assertThat(out).containsExactly(9, 18, 1, 1, 3.5f, 5);
    }

    @Test
    void zero_padding_stays_zero_under_updates() {
        int d = 7, p = EmbeddingRows.paddedLength(d);
        SplittableRandom r = new SplittableRandom(5);
        float[] in = new float[p], out = new float[p], work = new float[p];
        for (int i = 0; i < d; i++) { in[i] = (float) r.nextDouble(-1, 1); out[i] = (float) r.nextDouble(-1, 1); }
        for (int k = 0; k < 10; k++) EmbeddingRows.accumulateAndUpdate(p, 0.1f, in, 0, out, 0, work, 0);
        for (int i = d; i < p; i++) {
            assertThat(out[i]).isZero();
            assertThat(work[i]).isZero();
        }
    }

    @Test
    void scaled_sum_and_add_to_rows_match_the_reference_with_repeated_rows_and_no_rows() {
        for (int d : DIMS) {
            for (int n : new int[] {d, EmbeddingRows.paddedLength(d)}) {
                for (int count : new int[] {0, 1, 2, 5, 10}) {
                    SplittableRandom r = new SplittableRandom(31L * d + 7L * n + count);
                    int rowsInTable = 6;
                    float[] table = random(r, rowsInTable * n + 3);
                    int[] rows = new int[count + 2];
                    // Rows may repeat (a word twice in one window); the two extra entries must be ignored.
                    for (int k = 0; k < rows.length; k++) rows[k] = 3 + r.nextInt(rowsInTable) * n;
                    if (count >= 2) rows[1] = rows[0];
                    float[] y = random(r, n + 2), yV = y.clone(), yR = y.clone();
                    EmbeddingRows.scaledSum(n, 0.25f, table, rows, count, yV, 1);
                    EmbeddingRowsReference.scaledSum(n, 0.25f, table, rows, count, yR, 1);
                    for (int i = 0; i < y.length; i++) {
                        assertThat(yV[i]).as("scaledSum[%d] of %d over %d rows", i, n, count).isCloseTo(yR[i], within(1e-6f));
                    }
                    assertThat(yV[0]).isEqualTo(y[0]);
                    assertThat(yV[n + 1]).isEqualTo(y[n + 1]);

                    float[] x = random(r, n + 5), tV = table.clone(), tR = table.clone();
                    EmbeddingRows.addToRows(n, x, 5, tV, rows, count);
                    EmbeddingRowsReference.addToRows(n, x, 5, tR, rows, count);
                    for (int i = 0; i < table.length; i++) {
                        assertThat(tV[i]).as("addToRows[%d] of %d over %d rows", i, n, count).isCloseTo(tR[i], within(1e-6f));
                    }
                    for (int i = 0; i < 3; i++) assertThat(tV[i]).isEqualTo(table[i]);
                }
            }
        }
    }

    @Test
    void dots_against_several_rows_match_the_reference_for_every_row_count() {
        for (int d : DIMS) {
            for (int n : new int[] {d, EmbeddingRows.paddedLength(d)}) {
                for (int count : new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}) {
                    SplittableRandom r = new SplittableRandom(13L * d + 5L * n + count);
                    float[] table = random(r, 7 * n + 2), x = random(r, n + 3);
                    int[] rows = new int[count + 1];
                    for (int k = 0; k < rows.length; k++) rows[k] = 2 + r.nextInt(7) * n;
                    float[] v = new float[count + 1], ref = new float[count + 1];
                    v[count] = ref[count] = 42;
                    EmbeddingRows.dots(n, x, 3, table, rows, count, v);
                    EmbeddingRowsReference.dots(n, x, 3, table, rows, count, ref);
                    for (int k = 0; k < count; k++) {
                        assertThat(v[k]).as("dot %d of %d over %d rows", k, n, count).isCloseTo(ref[k], within(1e-5f * (n + 1)));
                    }
                    assertThat(v[count]).isEqualTo(42);
                }
            }
        }
    }

    @Test
    void add_scaled_rows_matches_the_reference_with_strided_coefficients() {
        for (int d : DIMS) {
            for (int n : new int[] {d, EmbeddingRows.paddedLength(d)}) {
                for (int count : new int[] {0, 1, 2, 6, 10}) {
                    SplittableRandom r = new SplittableRandom(17L * d + 3L * n + count);
                    float[] table = random(r, 5 * n + 1), coef = random(r, 3 * count + 4);
                    int[] rows = new int[count + 1];
                    for (int k = 0; k < rows.length; k++) rows[k] = 1 + r.nextInt(5) * n;
                    float[] y = random(r, n + 2), yV = y.clone(), yR = y.clone();
                    EmbeddingRows.addScaledRows(n, coef, 2, 3, table, rows, count, yV, 1);
                    EmbeddingRowsReference.addScaledRows(n, coef, 2, 3, table, rows, count, yR, 1);
                    for (int i = 0; i < y.length; i++) {
                        assertThat(yV[i]).as("addScaledRows[%d] of %d over %d rows", i, n, count).isCloseTo(yR[i], within(1e-5f));
                    }
                    assertThat(yV[0]).isEqualTo(y[0]);
                    assertThat(yV[n + 1]).isEqualTo(y[n + 1]);
                }
            }
        }
    }

    @Test
    void scaled_sum_is_the_mean_for_a_hand_computed_case() {
        float[] table = {1, 2, 3, 10, 20, 30};
        float[] y = new float[3];
        EmbeddingRows.scaledSum(3, 0.5f, table, new int[] {0, 3}, 2, y, 0);
        assertThat(y).containsExactly(5.5f, 11, 16.5f);
        EmbeddingRows.addToRows(3, new float[] {1, 1, 1}, 0, table, new int[] {3, 3}, 2);
        assertThat(table).containsExactly(1, 2, 3, 12, 22, 32);
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble(-1, 1);
        return a;
    }
}
