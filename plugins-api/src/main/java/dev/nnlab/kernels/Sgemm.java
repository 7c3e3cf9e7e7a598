package dev.nnlab.kernels;

/**
 * Single-precision general matrix multiply on row-major arrays, BLAS semantics:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where {@code op(X)} is {@code X} or its transpose.
 *
 * <p>{@code op(A)} is (m, k), {@code op(B)} is (k, n), C is (m, n). {@code lda} is the row stride
 * of A as stored: A stored (m, k) when not transposed, (k, m) when transposed; likewise B.
 * Backprop needs all three products: {@code Y = X W} (NN), {@code dX = dY W^T} (NT) and
 * {@code dW += X^T dY} (TN, with beta = 1 to accumulate).
 *
 * <p>With {@code beta == 0} C is overwritten, never read (so NaN in C does not leak through).
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Sgemm {
    private Sgemm() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        SgemmReference.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }
}
