package dev.nnlab.kernels;

import java.util.Arrays;

/**
 * Copies blocks of {@code op(A)} and {@code op(B)} into the contiguous panel layouts that
 * {@link MicroKernel} streams through (GotoBLAS/BLIS packing).
 *
 * <p>Packing is why one micro-kernel serves all four transpose combinations: the transpose is
 * absorbed here, in O(mk + kn) copying, instead of in the O(mnk) inner loop. It also turns strided
 * rows into sequential streams that the hardware prefetcher follows, avoids cache-set conflicts of
 * power-of-two leading dimensions, and zero-pads the last partial panel so the micro-kernel never
 * needs a remainder loop.
 */
final class GemmPacking {
    private GemmPacking() {}

    /**
     * Packs {@code op(A)[i0 .. i0+mc, p0 .. p0+kc]} as ceil(mc / mr) panels of (mr, kc), panel q at
     * {@code dst[q * mr * kc]}, element (r, p) at {@code + p * mr + r}. Rows past mc are zero.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float[] dst) {
        for (int q = 0; q * mr < mc; q++) {
            int rows = Math.min(mr, mc - q * mr);
            int base = q * mr * kc;
            int i = i0 + q * mr;
            if (transA) {
                // op(A)[i, p] = a[p * lda + i]: each p contributes `rows` contiguous floats.
                for (int p = 0; p < kc; p++) copy(a, aOff + (p0 + p) * lda + i, dst, base + p * mr, rows);
            } else {
                for (int r = 0; r < rows; r++) {
                    int src = aOff + (i + r) * lda + p0;
                    int d = base + r;
                    for (int p = 0; p < kc; p++) dst[d + p * mr] = a[src + p];
                }
            }
            if (rows < mr) {
                for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * mr + rows, base + (p + 1) * mr, 0f);
            }
        }
    }

    /**
     * Packs {@code op(B)[p0 .. p0+kc, j0 .. j0+nc]} as ceil(nc / nr) panels of (kc, nr), panel q at
     * {@code dst[q * nr * kc]}, element (p, j) at {@code + p * nr + j}. Columns past nc are zero.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, float[] dst) {
        for (int q = 0; q * nr < nc; q++) {
            int cols = Math.min(nr, nc - q * nr);
            int base = q * nr * kc;
            int j = j0 + q * nr;
            if (transB) {
                // op(B)[p, j] = b[j * ldb + p]: read each column of op(B) sequentially.
                for (int jj = 0; jj < cols; jj++) {
                    int src = bOff + (j + jj) * ldb + p0;
                    int d = base + jj;
                    for (int p = 0; p < kc; p++) dst[d + p * nr] = b[src + p];
                }
            } else {
                for (int p = 0; p < kc; p++) copy(b, bOff + (p0 + p) * ldb + j, dst, base + p * nr, cols);
            }
            if (cols < nr) {
                for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * nr + cols, base + (p + 1) * nr, 0f);
            }
        }
    }

    /** System.arraycopy's call overhead dominates below ~16 floats; a plain loop is faster there. */
    private static void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len >= 16) {
            System.arraycopy(src, s, dst, d, len);
        } else {
            for (int i = 0; i < len; i++) dst[d + i] = src[s + i];
        }
    }
}
