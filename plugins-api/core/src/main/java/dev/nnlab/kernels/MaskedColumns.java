package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The last {@code cols < L} columns of {@link SmallGemm#panel}'s {@code C = [C +] A B [+ bias]}, in one
 * masked vector per row of C: a classifier's 10 outputs at 16 lanes, which were 10 scalar dot products per
 * row. This lets a dense layer with few outputs run {@code Y = X W} and {@code dW += X^T dY} on W as it is
 * stored, with no transposed copy of W or of dW per step (the dot-product path needed both), at the cost of
 * idle lanes (10 of 16).
 *
 * <p>Each element is the scalar loop's sum, bit for bit: one fused multiply-add chain over p from zero,
 * then the bias added, then C when accumulating.
 */
final class MaskedColumns {
    private MaskedColumns() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    /** Rows of C per tile: 8 accumulator chains keep both FMA pipes busy through their 4-cycle latency. */
    static final int ROWS = 8;

    /** Columns {@code [j, j + cols)} of C, {@code 0 < cols < L}; arguments as {@link SmallGemm#panel}'s. */
    static void tail(int j, int cols, int m, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                     boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        VectorMask<Float> in = S.indexInRange(0, cols);
        int i = 0;
        for (; i + ROWS <= m; i += ROWS) rows8(in, i, j, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
        for (; i < m; i++) row1(in, i, j, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
    }

    private static void rows8(VectorMask<Float> in, int i, int j, int k, float[] a, int aOff, int ars, int aks,
                              float[] b, int bOff, int ldb, boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            FloatVector w = FloatVector.fromArray(S, b, bp, in);
            c0 = FloatVector.broadcast(S, a[a0]).fma(w, c0);
            c1 = FloatVector.broadcast(S, a[a0 + ars]).fma(w, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2 * ars]).fma(w, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3 * ars]).fma(w, c3);
            c4 = FloatVector.broadcast(S, a[a0 + 4 * ars]).fma(w, c4);
            c5 = FloatVector.broadcast(S, a[a0 + 5 * ars]).fma(w, c5);
            c6 = FloatVector.broadcast(S, a[a0 + 6 * ars]).fma(w, c6);
            c7 = FloatVector.broadcast(S, a[a0 + 7 * ars]).fma(w, c7);
        }
        // Stores spelled out (see SmallGemm): a helper taking a vector is called out of line and boxes it.
        if (bias != null) {
            FloatVector bv = FloatVector.fromArray(S, bias, biasOff + j, in);
            c0 = c0.add(bv); c1 = c1.add(bv); c2 = c2.add(bv); c3 = c3.add(bv);
            c4 = c4.add(bv); c5 = c5.add(bv); c6 = c6.add(bv); c7 = c7.add(bv);
        }
        int r = cOff + i * ldc + j;
        if (acc) {
            FloatVector.fromArray(S, c, r, in).add(c0).intoArray(c, r, in);
            FloatVector.fromArray(S, c, r + ldc, in).add(c1).intoArray(c, r + ldc, in);
            FloatVector.fromArray(S, c, r + 2 * ldc, in).add(c2).intoArray(c, r + 2 * ldc, in);
            FloatVector.fromArray(S, c, r + 3 * ldc, in).add(c3).intoArray(c, r + 3 * ldc, in);
            FloatVector.fromArray(S, c, r + 4 * ldc, in).add(c4).intoArray(c, r + 4 * ldc, in);
            FloatVector.fromArray(S, c, r + 5 * ldc, in).add(c5).intoArray(c, r + 5 * ldc, in);
            FloatVector.fromArray(S, c, r + 6 * ldc, in).add(c6).intoArray(c, r + 6 * ldc, in);
            FloatVector.fromArray(S, c, r + 7 * ldc, in).add(c7).intoArray(c, r + 7 * ldc, in);
        } else {
            c0.intoArray(c, r, in);
            c1.intoArray(c, r + ldc, in);
            c2.intoArray(c, r + 2 * ldc, in);
            c3.intoArray(c, r + 3 * ldc, in);
            c4.intoArray(c, r + 4 * ldc, in);
            c5.intoArray(c, r + 5 * ldc, in);
            c6.intoArray(c, r + 6 * ldc, in);
            c7.intoArray(c, r + 7 * ldc, in);
        }
    }

    private static void row1(VectorMask<Float> in, int i, int j, int k, float[] a, int aOff, int ars, int aks,
                             float[] b, int bOff, int ldb, boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c0 = FloatVector.zero(S);
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            c0 = FloatVector.broadcast(S, a[a0]).fma(FloatVector.fromArray(S, b, bp, in), c0);
        }
        if (bias != null) c0 = c0.add(FloatVector.fromArray(S, bias, biasOff + j, in));
        int r = cOff + i * ldc + j;
        if (acc) c0 = FloatVector.fromArray(S, c, r, in).add(c0);
        c0.intoArray(c, r, in);
    }
}
