package dev.nnlab.kernels;

/**
 * {@code dst = src^T} for a strided matrix, in square tiles so that both the reads and the strided
 * writes stay in L1. The recurrent layers and the sequence decoder transpose a weight (or an input)
 * once per backward pass with it, so that every product of the backward runs on untransposed
 * operands: a GEMM with a transposed operand transposes it again while packing, once per call,
 * and a recurrent layer's backward makes {@code 2T + 2} such calls on the same two matrices.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Transpose {
    private Transpose() {}

    static final int TILE = 32;
    /** Below this many values a call stays on the caller's thread. */
    static final long PARALLEL_MIN_VALUES = 1 << 18;

    /** {@code dst[dOff + c * ldDst + r] = src[sOff + r * ldSrc + c]} for r < rows, c < cols. */
    public static void transpose(int rows, int cols, float[] src, int sOff, int ldSrc, float[] dst, int dOff, int ldDst) {
        int threads = Parallelism.threads();
        int colTiles = (cols + TILE - 1) / TILE;
        int tasks = threads <= 1 || WorkerPool.onWorkerThread() || (long) rows * cols < PARALLEL_MIN_VALUES ? 1 : Math.min(threads, colTiles);
        if (tasks == 1) {
            region(0, rows, 0, cols, src, sOff, ldSrc, dst, dOff, ldDst);
            return;
        }
        Parallelism.pool().invokeAll(tasks, t -> {
            int from = Math.min(cols, (int) ((long) colTiles * t / tasks) * TILE);
            int to = Math.min(cols, (int) ((long) colTiles * (t + 1) / tasks) * TILE);
            if (from < to) region(0, rows, from, to, src, sOff, ldSrc, dst, dOff, ldDst);
        });
    }

    private static void region(int r0, int r1, int c0, int c1, float[] src, int sOff, int ldSrc, float[] dst, int dOff, int ldDst) {
        for (int rt = r0; rt < r1; rt += TILE) {
            int rEnd = Math.min(r1, rt + TILE);
            for (int ct = c0; ct < c1; ct += TILE) {
                int cEnd = Math.min(c1, ct + TILE);
                for (int r = rt; r < rEnd; r++) {
                    int s = sOff + r * ldSrc;
                    for (int c = ct; c < cEnd; c++) dst[dOff + c * ldDst + r] = src[s + c];
                }
            }
        }
    }
}
