package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C (m, n) = [C +] op(A) (m, k) B (k, n)} for an {@code op(A)} small enough to pack whole
 * (m * k up to {@value #MAX_PACKED_A} floats, k up to {@value #MAX_K}) and a B as stored, often
 * wide: a language model's decoder ({@code logits = x W}, {@code dW += x^T dY} with 10,000
 * columns) and a recurrent layer's input-side products. It runs {@link Sgemm}'s micro-kernel, but:
 * <ul>
 *   <li>op(A) is packed once per call, by the caller's thread, and shared read-only by the threads
 *       (the blocked GEMM packs it again for every 512-column block of B, and in every thread: in
 *       W5's profile that repacking was 3% of the run per decoder product);</li>
 *   <li>with {@code accumulate} (BLAS beta = 1, how weight gradients are added), each register tile
 *       goes to a scratch tile and is added to C in one vector pass, where the blocked GEMM adds it
 *       element by element.</li>
 * </ul>
 * Other shapes (and a JVM without vector support) go to {@link Sgemm}. Results differ from
 * {@link SgemmReference} by float rounding only (summation order).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class WideGemm {
    private WideGemm() {}

    /** Largest op(A) packed whole: 1 MB, which a core's L2 holds next to a block of B. */
    static final int MAX_PACKED_A = 1 << 18;
    /** Deepest product served: one k slice of the blocked GEMM. */
    static final int MAX_K = BlockedGemm.KC;
    /**
     * Columns of B packed at a time. A is packed once per call here, so a wider block saves nothing;
     * 512 keeps a (200, NC) block of the decoder's B in L2 (the blocked GEMM's NC used to be the same).
     */
    static final int NC = 512;
    /** Rows of packed A swept per B block, as the blocked GEMM's MC (rounded to whole panels). */
    static final int MC = BlockedGemm.MC;

    /** A compile-time constant species, so the tile adds compile to vector code. */
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final ThreadLocal<Workspace> WORKSPACES = ThreadLocal.withInitial(Workspace::new);

    /** Whether {@link #gemm} runs its own kernel for an op(A) of (m, k) rather than handing the product to {@link Sgemm}. */
    public static boolean serves(int m, int k) {
        return BlockedGemm.DEFAULT != null && k <= MAX_K && (long) m * k <= MAX_PACKED_A;
    }

    /**
     * {@code C = [C +] op(A) B}: {@code op(A)(i, p)} is {@code a[aOff + i * lda + p]}, or
     * {@code a[aOff + p * lda + i]} when {@code transA}; {@code B(p, j) = b[bOff + p * ldb + j]};
     * C row-major with leading dimension ldc.
     *
     * @param accumulate add to C (beta = 1) instead of overwriting it (beta = 0: C is not read)
     */
    public static void gemm(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        BlockedGemm blocked = BlockedGemm.DEFAULT;
        if (!serves(m, k) || m == 0 || n == 0 || k == 0) {
            Sgemm.gemm(transA, false, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, accumulate ? 1f : 0f, c, cOff, ldc);
            return;
        }
        Sgemm.checkArguments(transA, false, m, n, k, lda, ldb, ldc);
        gemm(blocked.kernel(), Parallelism.threads(), NC, MC, transA, m, n, k, a, aOff, lda, b, bOff, ldb, accumulate, c, cOff, ldc);
    }

    /** The product with a given micro-kernel, thread count and block sizes: tests cross every block edge with small ones. */
    static void gemm(MicroKernel kernel, int threads, int nc, int mc, boolean transA, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        int mr = kernel.mr(), nr = kernel.nr();
        int ncBlock = Math.max(nr, nc / nr * nr), mcBlock = Math.max(mr, mc / mr * mr);
        Workspace own = WORKSPACES.get();
        float[] aPack = own.aPack(ceilDiv(m, mr) * mr * k);
        GemmPacking.packA(transA, a, aOff, lda, 0, m, 0, k, mr, aPack, own.index);
        int units = ceilDiv(n, nr);
        int tasks = threads <= 1 || WorkerPool.onWorkerThread() || 2.0 * m * n * k < BlockedGemm.PARALLEL_MIN_FLOPS
                ? 1 : Math.min(threads, units);
        if (tasks == 1) {
            columns(kernel, ncBlock, mcBlock, 0, n, m, k, aPack, b, bOff, ldb, accumulate, c, cOff, ldc);
            return;
        }
        Parallelism.pool().invokeAll(tasks, t -> {
            int from = Math.min(n, (int) ((long) units * t / tasks) * nr);
            int to = Math.min(n, (int) ((long) units * (t + 1) / tasks) * nr);
            if (from < to) columns(kernel, ncBlock, mcBlock, from, to, m, k, aPack, b, bOff, ldb, accumulate, c, cOff, ldc);
        });
    }

    /** Columns [j0, j1) of C, B packed one (k, ncBlock) block at a time, A already packed whole. */
    private static void columns(MicroKernel kernel, int ncBlock, int mcBlock, int j0, int j1, int m, int k, float[] aPack,
                                float[] b, int bOff, int ldb, boolean accumulate, float[] c, int cOff, int ldc) {
        int mr = kernel.mr(), nr = kernel.nr();
        Workspace ws = WORKSPACES.get();
        float[] bPack = ws.bPack(k * Math.min(ncBlock, ceilDiv(j1 - j0, nr) * nr));
        float[] tile = ws.tile(mr * nr);
        for (int jc = j0; jc < j1; jc += ncBlock) {
            int ncb = Math.min(ncBlock, j1 - jc);
            GemmPacking.packB(false, b, bOff, ldb, 0, k, jc, ncb, nr, bPack, ws.index);
            for (int ic = 0; ic < m; ic += mcBlock) {
                int mcb = Math.min(mcBlock, m - ic);
                for (int jr = 0; jr < ncb; jr += nr) {
                    int cols = Math.min(nr, ncb - jr);
                    for (int ir = 0; ir < mcb; ir += mr) {
                        int rows = Math.min(mr, mcb - ir);
                        int cTile = cOff + (ic + ir) * ldc + jc + jr;
                        // Packed panel q = (ic + ir) / mr starts at q * mr * k = (ic + ir) * k.
                        if (!accumulate && rows == mr && cols == nr) {
                            kernel.multiply(k, aPack, (ic + ir) * k, bPack, jr * k, 1f, 0f, c, cTile, ldc);
                        } else {
                            kernel.multiply(k, aPack, (ic + ir) * k, bPack, jr * k, 1f, 0f, tile, 0, nr);
                            storeTile(tile, nr, rows, cols, accumulate, c, cTile, ldc);
                        }
                    }
                }
            }
        }
    }

    /** C[rows, cols] = [C +] tile, whole vectors where the tile's columns allow, scalar for the rest. */
    static void storeTile(float[] tile, int nr, int rows, int cols, boolean accumulate, float[] c, int cTile, int ldc) {
        for (int r = 0; r < rows; r++) {
            int ci = cTile + r * ldc, ti = r * nr, j = 0;
            if (accumulate) {
                if (VectorWidth.VECTORIZED) {
                    for (; j + L <= cols; j += L) {
                        FloatVector.fromArray(S, c, ci + j).add(FloatVector.fromArray(S, tile, ti + j)).intoArray(c, ci + j);
                    }
                }
                for (; j < cols; j++) c[ci + j] += tile[ti + j];
            } else {
                System.arraycopy(tile, ti, c, ci, cols);
            }
        }
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    /** One thread's buffers, grown to the largest call seen and then reused. */
    private static final class Workspace {
        private float[] aPack = new float[0], bPack = new float[0], tile = new float[0];
        final int[] index = new int[GemmPacking.indexLength()];

        float[] aPack(int size) { return aPack.length >= size ? aPack : (aPack = new float[size]); }

        float[] bPack(int size) { return bPack.length >= size ? bPack : (bPack = new float[size]); }

        float[] tile(int size) { return tile.length >= size ? tile : (tile = new float[size]); }
    }
}
