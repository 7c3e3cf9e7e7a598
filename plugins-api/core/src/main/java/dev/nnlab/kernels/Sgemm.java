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
 * With {@code k == 0} or {@code alpha == 0}, A and B are not read: {@code C = beta * C}.
 *
 * <p>Runs the packed, cache-blocked Vector API kernel ({@link BlockedGemm}), split over
 * {@link Parallelism#threads()} threads when the product is large enough to pay for it.
 * Results differ from {@link SgemmReference} by float rounding only (summation order).
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Sgemm {
    private Sgemm() {}

    public static void gemm(boolean transA, boolean transB, int m, int n, int k,
                            float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        checkArguments(transA, transB, m, n, k, lda, ldb, ldc);
        if (BlockedGemm.DEFAULT == null) {
            SgemmReference.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        BlockedGemm.DEFAULT.gemm(Parallelism.threads(), transA, transB, m, n, k,
                alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * Whether a product with {@code n} columns of C reads a row-major (not transposed) A in place
     * instead of packing it: then a caller need not lay A out transposed first.
     */
    public static boolean readsRowMajorAInPlace(int n) {
        return BlockedGemm.DEFAULT != null && BlockedGemm.DEFAULT.readsARows(false, n);
    }

    /** BLAS-style checks: a leading dimension must cover a stored row (when there is more than one). */
    static void checkArguments(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("negative dimension: m=" + m + ", n=" + n + ", k=" + k);
        }
        checkLeading("lda", lda, transA ? k : m, transA ? m : k);
        checkLeading("ldb", ldb, transB ? n : k, transB ? k : n);
        checkLeading("ldc", ldc, m, n);
    }

    private static void checkLeading(String name, int ld, int rows, int cols) {
        if (rows > 1 && ld < cols) {
            throw new IllegalArgumentException(name + "=" + ld + " is less than the stored row length " + cols);
        }
    }
}
