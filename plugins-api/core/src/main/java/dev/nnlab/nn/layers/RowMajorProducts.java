package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Sgemm;
import dev.nnlab.kernels.Transpose;
import dev.nnlab.kernels.WideGemm;

/**
 * Products of row-major operands for the sequence layers, arranged so the GEMM's packing only copies
 * rows: the GEMM packs {@code op(A)} by copying when A is given transposed and {@code op(B)} when B is
 * given as stored, and transposes (with vector gathers) otherwise, once per block of columns. Where
 * the layers' operands are large (a decoder's 400 x 10,000 logit gradient), one tiled
 * {@link Transpose} into a scratch array costs less than those gathers; the W5 profile showed
 * the gathers at about a third of the run. An A small enough to pack whole goes to {@link WideGemm},
 * which packs it (transposing) once per call. Each layer keeps its own instance (scratch is reused).
 */
final class RowMajorProducts {
    private float[] aT, bT;

    /**
     * {@code c = a b + beta c}: a (m, k), b (k, n), c (m, n), row-major with leading dimensions. A
     * narrow c (a decoder's dx, 200 columns) has the GEMM read a's rows in place: no transpose then.
     */
    void ab(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (Sgemm.readsRowMajorAInPlace(n)) {
            Sgemm.gemm(false, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        if (WideGemm.serves(m, k) && (beta == 0f || beta == 1f)) {
            WideGemm.gemm(false, m, n, k, a, aOff, lda, b, bOff, ldb, beta == 1f, c, cOff, ldc);
            return;
        }
        aT = atLeast(aT, (long) k * m);
        Transpose.transpose(m, k, a, aOff, lda, aT, 0, m);
        Sgemm.gemm(true, false, m, n, k, 1f, aT, 0, m, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code c = a b^T + beta c}: a (m, k), b (n, k), c (m, n). With a narrow c (a dx) the GEMM reads a
     * in place and transposes b while packing it, each element once: measured in W5's decoder dx
     * (400 x 10,000 times 10,000 x 200) 1.2x faster than a tiled transpose into scratch first, which
     * writes and reads b once more.
     */
    void abT(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (Sgemm.readsRowMajorAInPlace(n)) {
            Sgemm.gemm(false, true, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        bT = atLeast(bT, (long) k * n);
        Transpose.transpose(n, k, b, bOff, ldb, bT, 0, n);
        ab(m, n, k, a, aOff, lda, bT, 0, n, beta, c, cOff, ldc);
    }

    private static float[] atLeast(float[] buf, long size) {
        if (size > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a product operand of " + size + " values is too large");
        return buf != null && buf.length >= size ? buf : new float[(int) size];
    }
}
