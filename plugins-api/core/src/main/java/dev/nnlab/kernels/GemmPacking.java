package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

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
 *
 * <p>Two of the four cases copy rows ({@code A} transposed, {@code B} as stored); the other two
 * transpose ({@link #transpose}: 4x4 register blocks on AVX-512, scalar code elsewhere); the blocking in {@link BlockedGemm} keeps the transposing side
 * packed once per thread where it can.
 */
final class GemmPacking {
    private GemmPacking() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();

    /**
     * Packs {@code op(A)[i0 .. i0+mc, p0 .. p0+kc]} as ceil(mc / mr) panels of (mr, kc), panel q at
     * {@code dst[q * mr * kc]}, element (r, p) at {@code + p * mr + r}. Rows past mc are zero.
     */
    static void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                      int mr, float[] dst, int[] index) {
        for (int q = 0; q * mr < mc; q++) {
            int rows = Math.min(mr, mc - q * mr);
            int base = q * mr * kc;
            int i = i0 + q * mr;
            if (transA) {
                // op(A)[i, p] = a[p * lda + i]: each p contributes `rows` contiguous floats.
                for (int p = 0; p < kc; p++) ShortCopy.copy(a, aOff + (p0 + p) * lda + i, dst, base + p * mr, rows);
            } else {
                transpose(a, aOff + i * lda + p0, lda, rows, kc, dst, base, mr);
            }
            if (rows < mr) zeroTail(dst, base, kc, rows, mr);
        }
    }

    /**
     * Packs {@code op(B)[p0 .. p0+kc, j0 .. j0+nc]} as ceil(nc / nr) panels of (kc, nr), panel q at
     * {@code dst[q * nr * kc]}, element (p, j) at {@code + p * nr + j}. Columns past nc are zero.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, float[] dst, int[] index) {
        packB(transB, b, bOff, ldb, p0, kc, j0, nc, nr, dst, 0, index);
    }

    /** {@link #packB} with panel q at {@code dst[dOff + q * nr * kc]}: threads pack parts of one shared block. */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      int nr, float[] dst, int dOff, int[] index) {
        if (!transB) {
            packRowsOfB(b, bOff, ldb, p0, kc, j0, nc, nr, dst, dOff);
            return;
        }
        for (int q = 0; q * nr < nc; q++) {
            int cols = Math.min(nr, nc - q * nr);
            int base = dOff + q * nr * kc;
            int j = j0 + q * nr;
            // op(B)[p, j] = b[j * ldb + p]: column j of op(B) is row j of b.
            transpose(b, bOff + j * ldb + p0, ldb, cols, kc, dst, base, nr);
            if (cols < nr) zeroTail(dst, base, kc, cols, nr);
        }
    }

    /**
     * {@link #packB} for B as stored. Walks B row by row, handing each row's nr-wide pieces to
     * successive panels: the reads are one sequential stream, where panel-by-panel reads jump a
     * whole row (often a 4 KB page) per nr floats; ~1.3x faster for 1024 x 512 blocks on AVX2.
     */
    private static void packRowsOfB(float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, int nr,
                                    float[] dst, int dOff) {
        int full = nc / nr, tail = nc - full * nr, panel = nr * kc;
        for (int p = 0; p < kc; p++) {
            int src = bOff + (p0 + p) * ldb + j0, d = dOff + p * nr;
            for (int q = 0; q < full; q++, src += nr, d += panel) ShortCopy.copy(b, src, dst, d, nr);
            if (tail > 0) {
                ShortCopy.copy(b, src, dst, d, tail);
                Arrays.fill(dst, d + tail, d + nr, 0f);
            }
        }
    }

    /**
     * Whether {@link #transpose} moves 4x4 blocks through 128-bit registers ({@link #transpose4x4}):
     * at 512 bits. It replaced masked 512-bit gathers there, which Zen 4 runs slowly: transposing
     * 96 x 1024 of a 1024-wide A into 12-row panels, floats per CPU-nanosecond, gathers 1.14, scalar
     * 1.98-2.9, 4x4 blocks 3.8-4.2 (`GemmCpuProbe pack`). Below 512 bits the scalar code stays as
     * measured on AVX2 (where the gathers were not intrinsified at all).
     */
    static final boolean BLOCK_TRANSPOSE = VectorWidth.VECTORIZED && S.vectorBitSize() >= 512;

    /** Length of the scratch index array the packing methods take (kept for their callers; unused by the transposes now). */
    static int indexLength() { return L; }

    /**
     * {@code dst[d + p * stride + r] = src[s + r * ld + p]} for r in [0, rows), p in [0, kc): 4 x 4 blocks by shuffles
     * where the vectors are 512 bits wide, plain loads and stores otherwise. Also lays out the output gradient of the
     * convolutions' weight-gradient product ({@link Conv3x3#packGradient}: 1.4% to 0.6% of a W4 step; the 8x8 layers'
     * {@link Conv3x3Patches#packGradient}, 64 pixels of 32 channels a panel, ran no faster this way).
     */
    static void transpose(float[] src, int s, int ld, int rows, int kc, float[] dst, int d, int stride) {
        if (!BLOCK_TRANSPOSE || kc < 4 || rows < 4) {
            transposeScalar(src, s, ld, rows, kc, dst, d, stride);
        } else {
            transpose4x4(src, s, ld, rows, kc, dst, d, stride);
        }
    }

    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    /** Interleave the low (high) halves of two rows: [a0 b0 a1 b1] ([a2 b2 a3 b3]). */
    private static final VectorShuffle<Float> LOW_PAIRS = VectorShuffle.fromValues(S4, 0, 4, 1, 5);
    private static final VectorShuffle<Float> HIGH_PAIRS = VectorShuffle.fromValues(S4, 2, 6, 3, 7);
    /** From two interleaved pairs, the first (second) column: [a0 b0 c0 d0] ([a1 b1 c1 d1]). */
    private static final VectorShuffle<Float> FIRST_COLUMN = VectorShuffle.fromValues(S4, 0, 1, 4, 5);
    private static final VectorShuffle<Float> SECOND_COLUMN = VectorShuffle.fromValues(S4, 2, 3, 6, 7);

    /**
     * {@link #transpose} four source rows at a time, four columns at a time: four 128-bit loads, eight
     * two-vector shuffles, four 128-bit stores; scalar code for the last kc % 4 columns and rows % 4 rows.
     */
    static void transpose4x4(float[] src, int s, int ld, int rows, int kc, float[] dst, int d, int stride) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int s0 = s + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
            int p = 0;
            for (; p + 4 <= kc; p += 4) {
                FloatVector a = FloatVector.fromArray(S4, src, s0 + p), b = FloatVector.fromArray(S4, src, s1 + p);
                FloatVector c = FloatVector.fromArray(S4, src, s2 + p), e = FloatVector.fromArray(S4, src, s3 + p);
                FloatVector ab0 = a.rearrange(LOW_PAIRS, b), ab1 = a.rearrange(HIGH_PAIRS, b);
                FloatVector ce0 = c.rearrange(LOW_PAIRS, e), ce1 = c.rearrange(HIGH_PAIRS, e);
                int o = d + p * stride + r;
                ab0.rearrange(FIRST_COLUMN, ce0).intoArray(dst, o);
                ab0.rearrange(SECOND_COLUMN, ce0).intoArray(dst, o + stride);
                ab1.rearrange(FIRST_COLUMN, ce1).intoArray(dst, o + 2 * stride);
                ab1.rearrange(SECOND_COLUMN, ce1).intoArray(dst, o + 3 * stride);
            }
            if (p < kc) transposeScalar(src, s0 + p, ld, 4, kc - p, dst, d + p * stride + r, stride);
        }
        if (r < rows) transposeScalar(src, s + r * ld, ld, rows - r, kc, dst, d + r, stride);
    }

    /**
     * {@link #transpose} with plain scalar loads and stores, four source rows per pass over p: each
     * row is read sequentially and the stores of one p are adjacent. ~0.8-1 float/ns on Zen 3.
     */
    static void transposeScalar(float[] src, int s, int ld, int rows, int kc, float[] dst, int d, int stride) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int s0 = s + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
            for (int p = 0; p < kc; p++) {
                int o = d + p * stride + r;
                dst[o] = src[s0 + p];
                dst[o + 1] = src[s1 + p];
                dst[o + 2] = src[s2 + p];
                dst[o + 3] = src[s3 + p];
            }
        }
        if (r + 2 <= rows) {
            int s0 = s + r * ld, s1 = s0 + ld;
            for (int p = 0; p < kc; p++) {
                int o = d + p * stride + r;
                dst[o] = src[s0 + p];
                dst[o + 1] = src[s1 + p];
            }
            r += 2;
        }
        if (r < rows) {
            int s0 = s + r * ld;
            for (int p = 0; p < kc; p++) dst[d + p * stride + r] = src[s0 + p];
        }
    }

    private static void zeroTail(float[] dst, int base, int kc, int used, int width) {
        for (int p = 0; p < kc; p++) Arrays.fill(dst, base + p * width + used, base + (p + 1) * width, 0f);
    }
}
