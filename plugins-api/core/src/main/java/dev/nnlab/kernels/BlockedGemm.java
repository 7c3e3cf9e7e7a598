package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The GotoBLAS/BLIS loop nest around a {@link MicroKernel}: C is computed in (MC, NC) blocks, the
 * inner dimension in KC slices. For each slice a (KC, NC) block of {@code op(B)} is packed, and for
 * each (MC, KC) block of {@code op(A)} the micro-kernel sweeps the (KC, NR) panels of B, each
 * reused by MC / MR micro-tiles.
 *
 * <p>Large products are split over {@link Parallelism#threads()} threads by ranges of C's columns, each
 * task packing its own blocks, or of C's rows, where the tasks first pack one block of op(B) together
 * and then share it, read-only ({@link #gemmSharedB}). Pack buffers are per thread and reused, so
 * steady-state training allocates nothing here.
 */
final class BlockedGemm {
    /** The kernels' default instance, at the width chosen by {@link VectorWidth}; null when scalar. */
    static final BlockedGemm DEFAULT = VectorWidth.VECTORIZED
            ? new BlockedGemm(MicroKernel.forSpecies(VectorWidth.FLOATS)) : null;

    /**
     * 2*m*n*k below which a call stays on one thread. Waking a parked worker and joining it costs
     * tens of microseconds on the development machine; at ~100 GFLOPS that is a few MFLOP of work.
     */
    static final long PARALLEL_MIN_FLOPS = 4L << 20;

    /**
     * Depth of a k slice. Every slice reads and writes all of C once more, and C is usually too big
     * for L2, so a deep slice pays off more than keeping the (KC, NR) B panel in L1 (the classic
     * KC = 256): at 1024^3 on one core, KC = 1024 measured ~120 GFLOPS against ~105 for 512 and
     * ~100 for 256. The B panel (128 KB) then streams from L2, which has the bandwidth for it.
     */
    static final int KC = 1024;
    /** Rows of op(A) per packed block: (MC, KC) is 384 KB, in L2. */
    static final int MC = 96;
    /**
     * Columns of op(B) per packed block, (KC, NC) = 4 MB, in L3. op(A) is packed (transposed) again for
     * every NC block, so a wide block beat 256 and 384 on the Xeon, and 1024 beat 512 on Zen 4 (1 MB
     * L2 per core): 1024^3 on one thread, A packed, alternated call by call, GFLOPS per CPU-second
     * 96.5 (NC 512), 100.8 (1024), 100.2 (2048). A row split shares a block as wide as C anyway
     * ({@link #SHARED_B_MAX_FLOATS}).
     */
    static final int NC = 1024;

    private static final VectorSpecies<Float> FLOATS = VectorWidth.FLOATS;
    private static final int LANES = FLOATS.length();

    private final MicroKernel kernel;
    private final int mr, nr, kcBlock, mcBlock, ncBlock, sharedBMinFloats, sharedBMaxFloats, directMaxPanels;
    /**
     * A row-major A is read in place instead of packed when the packed copy would serve at most this
     * many NR-wide panels of B (and at most {@value #DIRECT_A_MAX_COLUMNS} columns): each packed A element
     * would be used only that many times, too few to repay the transpose. Measured on AVX2 (Zen 3, one
     * core, NR = 16): 64x10x784 ran ~2x faster in place, 64x256x784 (16 panels) the same either way,
     * 1024^3 (32 panels per thread) ~10% slower in place.
     */
    static final int DIRECT_A_MAX_PANELS = 16;
    /**
     * The column bound of {@link #DIRECT_A_MAX_PANELS}, which binds at 512 bits (NR = 32: 8 panels). In
     * place, the micro-kernel reads 12 rows of A at once; with a power-of-two row length they fall into
     * one L1 set (8 ways) and come from L2 on every k step. Zen 4, one core, m = k = 1024, GFLOPS per
     * CPU-second with A in place and packed, for lda 1024 and 1031: n = 128: 88 and 99 in place, 74 and
     * 80 packed; n = 256: 81 and 93 in place, 84 and 80 packed; n = 512: 88 and 99 in place, 97 and 98
     * packed. Before this bound every NN product
     * at 512 bits read A in place (an NC block is 16 panels), 1024^3 on 2 threads included:
     * 84.9 GFLOPS per CPU-second in place, 96.0 packed.
     */
    static final int DIRECT_A_MAX_COLUMNS = 256;

    private final ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(Workspace::new);

    BlockedGemm(MicroKernel kernel) {
        this(kernel, KC, MC, NC);
    }

    /** With other block sizes (rounded to whole micro-tiles): tests use tiny ones to cross every block edge. */
    BlockedGemm(MicroKernel kernel, int kc, int mc, int nc) {
        this(kernel, kc, mc, nc, SHARED_B_MIN_FLOATS, SHARED_B_MAX_FLOATS);
    }

    /** ... and other bounds on the shared block of op(B) of a row split ({@link #SHARED_B_MIN_FLOATS}, {@link #SHARED_B_MAX_FLOATS}). */
    BlockedGemm(MicroKernel kernel, int kc, int mc, int nc, int sharedBMinFloats, int sharedBMaxFloats) {
        this(kernel, kc, mc, nc, sharedBMinFloats, sharedBMaxFloats,
                Math.min(DIRECT_A_MAX_PANELS, Math.max(1, DIRECT_A_MAX_COLUMNS / kernel.nr())));
    }

    /** ... and another bound on the B panels for which A is read in place (0: always packed; probes compare). */
    BlockedGemm(MicroKernel kernel, int kc, int mc, int nc, int sharedBMinFloats, int sharedBMaxFloats, int directMaxPanels) {
        this.kernel = kernel;
        this.directMaxPanels = directMaxPanels;
        this.sharedBMinFloats = sharedBMinFloats;
        this.sharedBMaxFloats = sharedBMaxFloats;
        this.mr = kernel.mr();
        this.nr = kernel.nr();
        this.kcBlock = kc;
        this.mcBlock = Math.max(mr, mc / mr * mr);
        this.ncBlock = Math.max(nr, nc / nr * nr);
    }

    MicroKernel kernel() { return kernel; }

    int ncBlock() { return ncBlock; }

    int directMaxPanels() { return directMaxPanels; }

    @Override
    public String toString() {
        return "BlockedGemm[" + kernel.species().vectorBitSize() + " bits, micro-tile " + mr + "x" + nr
                + ", KC " + kcBlock + ", MC " + mcBlock + ", NC " + ncBlock + "]";
    }

    /** {@link Sgemm#gemm} with at most {@code threads} threads; arguments already validated. */
    void gemm(int threads, boolean transA, boolean transB, int m, int n, int k,
              float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        int tasks = tasks(threads, m, n, k);
        if (tasks == 1) {
            multiplyRegion(transA, transB, 0, m, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean splitColumns = splitColumns(transA, transB, m, n, tasks);
        if (!splitColumns && (long) Math.min(k, kcBlock) * n >= sharedBMinFloats) {
            gemmSharedB(tasks, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int unit = splitColumns ? nr : mr;
        int units = ceilDiv(splitColumns ? n : m, unit);
        int extent = splitColumns ? n : m;
        Parallelism.pool().invokeAll(tasks, t -> {
            int from = Math.min(extent, (int) ((long) units * t / tasks) * unit);
            int to = Math.min(extent, (int) ((long) units * (t + 1) / tasks) * unit);
            if (from >= to) return;
            if (splitColumns) {
                multiplyRegion(transA, transB, 0, m, from, to, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            } else {
                multiplyRegion(transA, transB, from, to, 0, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            }
        });
    }

    private int tasks(int threads, int m, int n, int k) {
        if (threads <= 1 || WorkerPool.onWorkerThread()) return 1;
        if (2.0 * m * n * k < PARALLEL_MIN_FLOPS) return 1;
        return Math.min(threads, Math.max(ceilDiv(n, nr), ceilDiv(m, mr)));
    }

    /**
     * Whether to give each task a range of C's columns (each packs all of op(A) and its share of
     * op(B)) rather than of its rows (all of op(B), its share of op(A)): whichever packs less.
     * Packing that transposes (A as stored, B transposed) costs about twice a row copy; an A read
     * in place costs nothing.
     */
    boolean splitColumns(boolean transA, boolean transB, int m, int n, int tasks) {
        if (ceilDiv(m, mr) < tasks) return true;
        if (ceilDiv(n, nr) < tasks) return false;
        double costA = transA ? 1 : readsARows(false, ceilDiv(n, tasks)) ? 0 : 2, costB = transB ? 2 : 1;
        double byRows = costA * m / tasks + costB * n;
        double byColumns = costA * m + costB * n / tasks;
        return byColumns < byRows;
    }

    /**
     * Up to this many floats, the (KC, NC) block of op(B) that all tasks of a row split share is as wide
     * as C (8 MB, a quarter of the L3 the two cores share): op(A) is then packed once, not once per NC block.
     */
    static final int SHARED_B_MAX_FLOATS = 1 << 21;

    /**
     * Below this many floats of op(B) per k slice (1 MB), a row split keeps one task per thread, each
     * packing all of op(B) itself: packing it twice then costs less than the second hand-off between
     * threads that sharing it needs (tens of microseconds), which the small products of training
     * (64-row batches, k = 64) would pay on every call.
     */
    static final int SHARED_B_MIN_FLOATS = 1 << 18;

    /**
     * Fewest rows of C a thread claims at once in a row split (see {@link #gemmSharedB}), unless fewer are
     * left: below this, sweeping all of the shared op(B) block for so few rows of op(A) costs more in
     * loads from L3 than the finer split saves at the end.
     */
    static final int MIN_CLAIM_ROWS = 48;

    /**
     * The row split, with one packed block of op(B) shared by all tasks. For each (KC, NC) block the
     * tasks first pack disjoint ranges of its panels, then claim rows of C from a shared counter, each
     * packing only its own rows of op(A). Before, each of the two tasks packed all of op(B) for its half
     * of the rows (the same copy twice, 8% of a 1024^3 product) and the halves were fixed, so a worker
     * that woke late or was preempted held up the whole call.
     *
     * <p>Each claim takes 1 / (2 * tasks) of the rows still left (OpenMP's "guided" schedule), at least
     * {@value #MIN_CLAIM_ROWS}: large claims first, small ones at the end, so the threads finish close
     * together even when one runs slower. Fixed chunks of 1 / (4 * tasks) left up to a whole chunk
     * (~3 ms at 1024^3) to one thread while the other waited: alternated call by call in one JVM
     * (2 threads, 1024^3, 120-150 calls each, AVX2 Zen 3), the guided claims ran 3-6% faster in median
     * in each of four runs (`GemmPhaseProbe`). Which thread computes which rows changes no sum.
     */
    private void gemmSharedB(int tasks, boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        Workspace own = workspaces.get();
        int kcMax = Math.min(kcBlock, k);
        int ncShared = Math.max(ncBlock, sharedBMaxFloats / kcMax / nr * nr);
        own.ensure(0, kcMax * Math.min(ncShared, roundUp(n, nr)), 0);
        float[] shared = own.bPack;
        int minClaim = Math.max(mr, MIN_CLAIM_ROWS / mr * mr), claimDivisor = 2 * tasks * mr;
        // A packed here serves the whole shared block, not one NC block.
        boolean direct = !transA && ceilDiv(Math.min(n, ncShared), nr) <= directMaxPanels;
        WorkerPool pool = Parallelism.pool();
        // The next unclaimed row; reset for every block (invokeAll returns only when all tasks are done).
        AtomicInteger nextRow = new AtomicInteger();
        for (int jc = 0; jc < n; jc += ncShared) {
            int ncb = Math.min(ncShared, n - jc), col0 = jc;
            int panels = ceilDiv(ncb, nr);
            for (int pc = 0; pc < k; pc += kcBlock) {
                int kc = Math.min(kcBlock, k - pc), p0 = pc;
                float sliceBeta = pc == 0 ? beta : 1f;
                pool.invokeAll(tasks, t -> {
                    int q0 = (int) ((long) panels * t / tasks), q1 = (int) ((long) panels * (t + 1) / tasks);
                    if (q0 >= q1) return;
                    int from = q0 * nr, cols = Math.min(ncb, q1 * nr) - from;
                    GemmPacking.packB(transB, b, bOff, ldb, p0, kc, col0 + from, cols, nr, shared, from * kc,
                            workspaces.get().index);
                });
                nextRow.set(0);
                pool.invokeAll(tasks, t -> {
                    Workspace ws = null;
                    while (true) {
                        int from = nextRow.get();
                        if (from >= m) return;
                        int left = m - from;
                        int rows = Math.min(left, Math.max(minClaim, ceilDiv(left, claimDivisor) * mr));
                        if (!nextRow.compareAndSet(from, from + rows)) continue;
                        if (ws == null) {
                            ws = workspaces.get();
                            ws.ensure(Math.min(mcBlock, roundUp(m, mr)) * kcMax, 0, mr * nr);
                        }
                        multiplyRows(ws, shared, direct, transA, from, from + rows, col0, ncb, p0, kc, alpha, a, aOff,
                                lda, sliceBeta, c, cOff, ldc);
                    }
                });
            }
        }
    }

    /** C[i0..i1, j0..j1] = alpha * op(A)[i0..i1, :] * op(B)[:, j0..j1] + beta * C[i0..i1, j0..j1]. */
    private void multiplyRegion(boolean transA, boolean transB, int i0, int i1, int j0, int j1, int k,
                                float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                float beta, float[] c, int cOff, int ldc) {
        Workspace ws = workspaces.get();
        int kcMax = Math.min(kcBlock, k);
        ws.ensure(Math.min(mcBlock, roundUp(i1 - i0, mr)) * kcMax,
                kcMax * Math.min(ncBlock, roundUp(j1 - j0, nr)), mr * nr);
        boolean direct = readsARows(transA, j1 - j0);
        for (int jc = j0; jc < j1; jc += ncBlock) {
            int ncb = Math.min(ncBlock, j1 - jc);
            for (int pc = 0; pc < k; pc += kcBlock) {
                int kc = Math.min(kcBlock, k - pc);
                // Only the first k slice applies the caller's beta; later slices accumulate onto it.
                float sliceBeta = pc == 0 ? beta : 1f;
                GemmPacking.packB(transB, b, bOff, ldb, pc, kc, jc, ncb, nr, ws.bPack, ws.index);
                multiplyRows(ws, ws.bPack, direct, transA, i0, i1, jc, ncb, pc, kc, alpha, a, aOff, lda,
                        sliceBeta, c, cOff, ldc);
            }
        }
    }

    /** Rows i0..i1 of C's columns jc..jc+ncb for one k slice, op(B)'s block already packed in bPack. */
    private void multiplyRows(Workspace ws, float[] bPack, boolean direct, boolean transA, int i0, int i1,
                              int jc, int ncb, int pc, int kc, float alpha, float[] a, int aOff, int lda,
                              float sliceBeta, float[] c, int cOff, int ldc) {
        for (int ic = i0; ic < i1; ic += mcBlock) {
            int mcb = Math.min(mcBlock, i1 - ic);
            if (direct) {
                // Only a last partial panel is packed (zero-padded), at the start of aPack.
                int full = mcb / mr * mr;
                if (full < mcb) GemmPacking.packA(false, a, aOff, lda, ic + full, mcb - full, pc, kc, mr, ws.aPack, ws.index);
                macroKernel(ws, bPack, a, aOff + ic * lda + pc, lda, full, mcb, ncb, kc, alpha, sliceBeta,
                        c, cOff + ic * ldc + jc, ldc);
            } else {
                GemmPacking.packA(transA, a, aOff, lda, ic, mcb, pc, kc, mr, ws.aPack, ws.index);
                macroKernel(ws, bPack, null, 0, 0, 0, mcb, ncb, kc, alpha, sliceBeta, c, cOff + ic * ldc + jc, ldc);
            }
        }
    }

    /**
     * Every micro-tile of one (mc, kc) x (kc, nc) block product, B packed. A is packed too, except
     * when {@code aRows != null}: then its first {@code directRows} rows are read in place
     * ({@code aRows[aBase + r * lda + p]}) and only the rest, a partial panel, is packed at aPack[0].
     */
    private void macroKernel(Workspace ws, float[] bPack, float[] aRows, int aBase, int lda, int directRows, int mcb, int ncb,
                             int kc, float alpha, float beta, float[] c, int cBase, int ldc) {
        for (int jr = 0; jr < ncb; jr += nr) {
            int cols = Math.min(nr, ncb - jr);
            int bOff = jr * kc;
            for (int ir = 0; ir < mcb; ir += mr) {
                int rows = Math.min(mr, mcb - ir);
                int cTile = cBase + ir * ldc + jr;
                boolean inPlace = ir < directRows;
                int aOff = inPlace ? aBase + ir * lda : (ir - directRows) * kc;
                // A whole tile with beta = 0 goes straight to C; any other goes to a scratch tile
                // first, and only its valid part is added to C. The kernels are only ever called
                // with beta = 0 (see MicroKernel: their beta != 0 path boxes every accumulator).
                boolean straight = rows == mr && cols == nr && beta == 0f;
                float[] dst = straight ? c : ws.tile;
                int dOff = straight ? cTile : 0, ldd = straight ? ldc : nr;
                if (inPlace) {
                    kernel.multiplyRows(kc, aRows, aOff, lda, bPack, bOff, alpha, 0f, dst, dOff, ldd);
                } else {
                    kernel.multiply(kc, ws.aPack, aOff, bPack, bOff, alpha, 0f, dst, dOff, ldd);
                }
                if (!straight) addTile(ws.tile, rows, cols, beta, c, cTile, ldc);
            }
        }
    }

    /** {@code C = tile + beta * C} on the valid (rows, cols) part; with beta == 0 C is not read. */
    private void addTile(float[] tile, int rows, int cols, float beta, float[] c, int cTile, int ldc) {
        for (int r = 0; r < rows; r++) {
            int ci = cTile + r * ldc, ti = r * nr;
            if (beta == 0f) {
                System.arraycopy(tile, ti, c, ci, cols);
            } else if (beta == 1f) {
                int j = 0;
                if (VectorWidth.VECTORIZED) {
                    for (; j + LANES <= cols; j += LANES) {
                        FloatVector.fromArray(FLOATS, c, ci + j).add(FloatVector.fromArray(FLOATS, tile, ti + j))
                                .intoArray(c, ci + j);
                    }
                }
                for (; j < cols; j++) c[ci + j] += tile[ti + j];
            } else {
                for (int j = 0; j < cols; j++) c[ci + j] = tile[ti + j] + beta * c[ci + j];
            }
        }
    }

    /** C = beta * C, BLAS-style: with beta == 0 C is overwritten with zeros, never read. */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            if (beta == 0f) {
                Arrays.fill(c, row, row + n, 0f);
            } else if (beta != 1f) {
                VectorOps.scale(n, beta, c, row);
            }
        }
    }

    /**
     * Whether the micro-kernel reads op(A) in place rather than from packed panels: possible when A
     * is stored row-major (not transposed), where packing means a transpose, and worth it when few
     * B panels would reuse the packed A.
     */
    boolean readsARows(boolean transA, int cols) {
        return !transA && ceilDiv(Math.min(cols, ncBlock), nr) <= directMaxPanels;
    }

    private static int ceilDiv(int x, int y) { return (x + y - 1) / y; }

    private static int roundUp(int x, int y) { return ceilDiv(x, y) * y; }

    /** One thread's pack buffers, grown to the largest call seen and then reused. */
    private static final class Workspace {
        float[] aPack = new float[0], bPack = new float[0], tile = new float[0];
        final int[] index = new int[GemmPacking.indexLength()];

        void ensure(int aSize, int bSize, int tileSize) {
            if (aPack.length < aSize) aPack = new float[aSize];
            if (bPack.length < bSize) bPack = new float[bSize];
            if (tile.length < tileSize) tile = new float[tileSize];
        }
    }
}
