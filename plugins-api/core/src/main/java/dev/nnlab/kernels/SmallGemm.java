package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix products for the shapes of a small network's training step (a batch of up to a few hundred
 * rows; layer widths from a handful to a few thousand), computed straight from the operands without
 * packing them. {@link Sgemm}'s packed, cache-blocked kernel pays for its packing only when each
 * packed panel is reused many times; at a batch of 64 it is not, and a product with 10 output
 * columns wastes most of a packed register tile. Two register-blocked kernels cover what a dense
 * layer needs:
 * <ul>
 *   <li>{@link #panel}: {@code C = [C +] A B [+ bias]} with B read row by row (row-major, rows
 *       contiguous along n) and A at any pair of strides, so both {@code X W} (A = X) and
 *       {@code X^T dY} (A = X read down its columns) run here. 4 rows by 3 vectors of C in registers (5 by 4 when C has 5-15 rows).</li>
 *   <li>{@link #dots}: {@code C[i][j] = [C +] dot(A_i, B_j) [+ bias]}, both operands read along
 *       rows: {@code A B^T}. 2 rows by 5 columns of dot products, vectorised along k, so a product
 *       with few output columns (10 classes) still runs on full vectors.</li>
 * </ul>
 * Both split across {@link Parallelism#threads()} threads by output columns when the product is large
 * enough to pay for waking a worker. Results differ from {@link SgemmReference} by float rounding
 * only (summation order).
 *
 * <p>Stability: evolving; the shapes it serves well may change.
 */
public final class SmallGemm {
    private SmallGemm() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final boolean SCALAR = !VectorWidth.VECTORIZED;

    /** Floats per vector in these kernels: callers choose between {@link #panel} and {@link #dots} by it. */
    public static int lanes() { return L; }

    /** Products of at least this many multiply-adds are split across threads; below, a worker's wake-up costs more than it saves. */
    static final long PARALLEL_FMAS = 1L << 20;

    /**
     * {@code C (m x n) = [C +] A (m x k) B (k x n) [+ bias]}, where {@code A(i, p) = a[aOff + i * ars + p * aks]}
     * and {@code B(p, j) = b[bOff + p * ldb + j]}.
     *
     * @param accumulate add to C (BLAS beta = 1) instead of overwriting it (beta = 0: C is not read)
     * @param bias       n values added to every row of C, or null; only when not accumulating
     */
    public static void panel(int m, int n, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                             boolean accumulate, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        checkSizes(m, n, k, accumulate, bias);
        if (SCALAR) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) s = Math.fma(a[aOff + i * ars + p * aks], b[bOff + p * ldb + j], s);
                    store(c, cOff + i * ldc + j, s, accumulate, bias, biasOff + j);
                }
            }
            return;
        }
        int threads = splitThreads(m, n, k, 3 * L);
        if (threads <= 1) {
            panelColumns(0, n, m, k, a, aOff, ars, aks, b, bOff, ldb, accumulate, bias, biasOff, c, cOff, ldc);
            return;
        }
        int tasks = threads * TASKS_PER_THREAD;
        if (n < tasks * 6 * L && m >= tasks * 4) {
            // Too few columns for every task to get two 3-vector panels (W3's fc128: 128 columns, 4 tasks of 32 ran
            // all in 1-vector panels, 1.6x the CPU of one thread's 3-vector ones; 2 tasks of 64, a 3-vector and a
            // 1-vector panel each, ran W3 ~6% slower than rows): cut the rows instead, at whole 4-row tiles, each
            // task all columns. Each C element is still one sum over p in the same order.
            int[] rows = cuts(m, tasks, 4);
            Parallelism.pool().invokeAll(tasks, t -> panelColumns(0, n, rows[t + 1] - rows[t], k, a, aOff + rows[t] * ars, ars, aks,
                    b, bOff, ldb, accumulate, bias, biasOff, c, cOff + rows[t] * ldc, ldc));
            return;
        }
        // Cut at vector (not 3-vector) multiples: 256 columns at 16 lanes split 64 | 64 | 64 | 64, each one panel
        // of 3 vectors and one of 1 (as many 1-vector panels in all as two cuts of 128 have), where 3-vector cuts
        // gave uneven parts and one thread the slow 1-vector panels.
        int[] cuts = cuts(n, tasks(threads, n, L), L);
        Parallelism.pool().invokeAll(cuts.length - 1, t -> panelColumns(cuts[t], cuts[t + 1], m, k, a, aOff, ars, aks, b, bOff, ldb,
                accumulate, bias, biasOff, c, cOff, ldc));
    }

    /**
     * {@code C[i][j] = [C[i][j] +] sum_p a[aOff + i * lda + p] * b[bOff + j * ldb + p] [+ bias[j]]} for
     * C of m x n: {@code A B^T} with both operands stored by rows of length k. A bias only when not accumulating.
     */
    public static void dots(int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            boolean accumulate, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        checkSizes(m, n, k, accumulate, bias);
        if (SCALAR) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = 0; p < k; p++) s = Math.fma(a[aOff + i * lda + p], b[bOff + j * ldb + p], s);
                    store(c, cOff + i * ldc + j, s, accumulate, bias, biasOff + j);
                }
            }
            return;
        }
        int threads = splitThreads(m, n, k, DOT_COLUMNS);
        if (threads <= 1) {
            dotColumns(0, n, m, k, a, aOff, lda, b, bOff, ldb, accumulate, bias, biasOff, c, cOff, ldc);
            return;
        }
        int[] cuts = cuts(n, tasks(threads, n, DOT_COLUMNS), DOT_COLUMNS);
        Parallelism.pool().invokeAll(cuts.length - 1, t -> dotColumns(cuts[t], cuts[t + 1], m, k, a, aOff, lda, b, bOff, ldb,
                accumulate, bias, biasOff, c, cOff, ldc));
    }

    /** {@code dst[j * ldd + i] = src[i * lds + j]} for a rows x cols source. */
    public static void transpose(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd) {
        int parts = ParallelParts.parts((long) rows * cols, TRANSPOSE_GRAIN);
        if (parts <= 1 || rows < 2 * L) {
            transposeRows(0, rows, cols, src, srcOff, lds, dst, dstOff, ldd);
            return;
        }
        // Row blocks of whole vectors: each part writes its own columns of dst (W2's 256 x 256 W^T per step).
        int blocks = rows / L;
        ParallelParts.run(parts, p -> {
            int from = blocks * p / parts * L, to = p == parts - 1 ? rows : blocks * (p + 1) / parts * L;
            transposeRows(from, to, cols, src, srcOff, lds, dst, dstOff, ldd);
        });
    }

    /** Values a thread transposes beyond the first before {@link #transpose} is split. */
    static final long TRANSPOSE_GRAIN = 1 << 14;

    /** {@link #transpose} of source rows {@code [from, to)}. */
    private static void transposeRows(int from, int to, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff, int ldd) {
        int i0 = from;
        if (!SCALAR && to - from >= L) {
            // Each stored vector is one gather down a column of the source: L rows of column j. Twice as fast
            // as the element loop on AVX-512 (784 x 10: 2.7 us against 5.1; 256 x 256: 20 against 43).
            int[] down = new int[L];
            for (int q = 0; q < L; q++) down[q] = q * lds;
            int upper = from + (to - from) / L * L;
            for (; i0 < upper; i0 += L) {
                for (int j = 0; j < cols; j++) {
                    FloatVector.fromArray(S, src, srcOff + i0 * lds + j, down, 0).intoArray(dst, dstOff + j * ldd + i0);
                }
            }
        }
        // Blocks of 16 x 16 keep both the rows read and the rows written in L1.
        for (; i0 < to; i0 += 16) {
            int i1 = Math.min(to, i0 + 16);
            for (int j0 = 0; j0 < cols; j0 += 16) {
                int j1 = Math.min(cols, j0 + 16);
                for (int i = i0; i < i1; i++) {
                    int s = srcOff + i * lds;
                    for (int j = j0; j < j1; j++) dst[dstOff + j * ldd + i] = src[s + j];
                }
            }
        }
    }

    /**
     * {@code dst[i * cols + j] += src[j * lds + i]} for a rows x cols destination stored densely: adds a
     * product computed transposed (a skinny layer's {@code dW^T}) into its natural layout. The destination
     * is walked in whole vectors, each gathered from the transposed source, so every sum is one float
     * addition, as in the element loop.
     */
    public static void addTransposed(int rows, int cols, float[] src, int srcOff, int lds, float[] dst, int dstOff) {
        int i0 = 0;
        if (!SCALAR && rows >= L) {
            // L rows of dst are cols vectors; lane l of vector t is element f = t * L + l of the block, at
            // row f / cols, column f % cols, which the source holds at (f % cols) * lds + f / cols.
            int[][] maps = new int[cols][L];
            for (int t = 0; t < cols; t++) {
                for (int l = 0; l < L; l++) {
                    int f = t * L + l;
                    maps[t][l] = (f % cols) * lds + f / cols;
                }
            }
            int upper = rows - rows % L;
            for (; i0 < upper; i0 += L) {
                int block = dstOff + i0 * cols;
                for (int t = 0; t < cols; t++) {
                    int at = block + t * L;
                    FloatVector.fromArray(S, dst, at).add(FloatVector.fromArray(S, src, srcOff + i0, maps[t], 0)).intoArray(dst, at);
                }
            }
        }
        for (int i = i0; i < rows; i++) {
            for (int j = 0, at = dstOff + i * cols; j < cols; j++) dst[at + j] += src[srcOff + j * lds + i];
        }
    }

    private static void checkSizes(int m, int n, int k, boolean accumulate, float[] bias) {
        if (accumulate && bias != null) throw new IllegalArgumentException("a bias is added only when C is overwritten, not accumulated");
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative dimension: m=" + m + ", n=" + n + ", k=" + k);
    }

    /** Threads for a product of m * n * k multiply-adds whose n columns are dealt out in blocks of {@code unit}. */
    private static int splitThreads(int m, int n, int k, int unit) {
        int threads = Parallelism.threads();
        if (threads <= 1 || WorkerPool.onWorkerThread() || (long) m * n * k < PARALLEL_FMAS) return 1;
        return Math.min(threads, Math.max(1, n / unit));
    }

    /**
     * Tasks a thread's share of a split product is. One: the caller claims the first task as it hands out the
     * call, so a thread computes the same columns of a layer step after step, and its part of W, dW and of the
     * activations stays in its own core's cache. Two per thread, claimed as threads came free, balanced a late
     * worker but moved the columns between the cores from step to step: W2 (784-256-256-10) ran no faster on
     * two threads than on one, and 5-18% slower than with one task per thread (4 interleaved pairs).
     */
    static final int TASKS_PER_THREAD = 1;

    /**
     * Tasks for {@code threads} threads over n columns dealt out in blocks of {@code unit}: {@value #TASKS_PER_THREAD}
     * per thread, at most one per block. Which thread computes a column never changes its sums: the results are
     * the same bits for any split.
     */
    static int tasks(int threads, int n, int unit) {
        return Math.max(1, Math.min(threads * TASKS_PER_THREAD, (n + unit - 1) / unit));
    }

    /** {@code parts + 1} cut points over [0, n), each inner one a multiple of {@code unit}, as even as that allows. */
    static int[] cuts(int n, int parts, int unit) {
        int[] cut = new int[parts + 1];
        int units = (n + unit - 1) / unit;
        for (int t = 1; t < parts; t++) cut[t] = Math.min(n, (int) ((long) units * t / parts) * unit);
        cut[parts] = n;
        return cut;
    }

    /** A strip of B is copied to consecutive rows when at least this many rows of A share it... */
    static final int PACK_MIN_ROWS = 8;
    /** ...and it holds at most this many floats (k <= 5,461 at 8 lanes), so the copy stays in L2. */
    static final int PACK_MAX_FLOATS = 1 << 17;

    private static final ThreadLocal<float[]> STRIP = ThreadLocal.withInitial(() -> new float[0]);

    /** This thread's strip buffer, at least {@code n} floats; grown (once per size) only. */
    private static float[] scratch(int n) {
        float[] s = STRIP.get();
        if (s.length < n) {
            s = new float[n];
            STRIP.set(s);
        }
        return s;
    }

    private static void panelColumns(int j0, int j1, int m, int k, float[] a, int aOff, int ars, int aks,
                                     float[] b, int bOff, int ldb, boolean acc, float[] bias, int biasOff,
                                     float[] c, int cOff, int ldc) {
        if (m >= FEW_ROWS_MIN && m <= FEW_ROWS_MAX) {
            panelFewRows(j0, j1, m, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
            return;
        }
        // Tiles of 4 vectors where the registers hold 16 accumulators (AVX-512's 32), else of 3; 6 vectors
        // left are two tiles of 3, not 4 + 1 + 1; single vectors last. 256 columns were 5 tiles of 3 and one
        // single vector whose 4 accumulator chains ran latency-bound: 1/16 of the columns, 14% of a W2 step.
        int vectors = (j1 - j0) / L;
        int fours = WIDE_TILES ? vectors / 4 : 0, rest = vectors - 4 * fours;
        if (rest == 2 && fours > 0) {
            fours--;
            rest = 6;
        }
        int threes = rest / 3, ones = rest % 3;
        int widest = fours > 0 ? 4 : threes > 0 ? 3 : 1;
        float[] strip = m >= PACK_MIN_ROWS && (long) k * widest * L <= PACK_MAX_FLOATS ? scratch(k * widest * L) : null;
        int j = j0;
        for (int t = 0; t < fours; t++, j += 4 * L) tiles(4, j, m, k, a, aOff, ars, aks, b, bOff, ldb, strip, acc, bias, biasOff, c, cOff, ldc);
        for (int t = 0; t < threes; t++, j += 3 * L) tiles(3, j, m, k, a, aOff, ars, aks, b, bOff, ldb, strip, acc, bias, biasOff, c, cOff, ldc);
        for (int t = 0; t < ones; t++, j += L) tiles(1, j, m, k, a, aOff, ars, aks, b, bOff, ldb, strip, acc, bias, biasOff, c, cOff, ldc);
        if (j < j1) MaskedColumns.tail(j, j1 - j, m, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
    }

    /** AVX-512's 32 vector registers hold a 4 x 4-vector tile (16 accumulators, 4 of B, a broadcast); AVX2's 16 do not. */
    static final boolean WIDE_TILES = L >= 16;

    /** All rows of C against one strip of {@code vectors} vectors of B at column j, through the strip copy when given. */
    private static void tiles(int vectors, int j, int m, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff,
                              int ldb, float[] strip, boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        int w = vectors * L;
        float[] bb = b;
        int bo = bOff, lb = ldb;
        if (strip != null && ldb != w) {
            // The strip of B the row groups share, copied to consecutive rows: read in place with a row
            // stride of a power of two (256 columns = 1 KB), its rows fall into a few cache sets and come
            // from L3 again for every 4 rows of A. Only the layout changes: the sums, and so the bits, do not.
            for (int p = 0, from = bOff + j, to = 0; p < k; p++, from += ldb, to += w) {
                for (int v = 0; v < w; v += L) FloatVector.fromArray(S, b, from + v).intoArray(strip, to + v);
            }
            bb = strip;
            bo = -j; // the tiles read B at bOff + j
            lb = w;
        }
        int i = 0;
        switch (vectors) {
            case 4 -> {
                for (; i + 4 <= m; i += 4) panel4x4(i, j, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
                for (; i < m; i++) {
                    panel1x3(i, j, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
                    panel1x1(i, j + 3 * L, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
                }
            }
            case 3 -> {
                for (; i + 4 <= m; i += 4) panel4x3(i, j, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
                for (; i < m; i++) panel1x3(i, j, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
            }
            default -> {
                for (; i + 4 <= m; i += 4) panel4x1(i, j, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
                for (; i < m; i++) panel1x1(i, j, k, a, aOff, ars, aks, bb, bo, lb, acc, bias, biasOff, c, cOff, ldc);
            }
        }
    }

    private static void panel4x4(int i, int j, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                                 boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j)), c01 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + L)), c02 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + 2 * L)), c03 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + 3 * L)),
                c10 = c00, c11 = c01, c12 = c02, c13 = c03, c20 = c00, c21 = c01, c22 = c02, c23 = c03,
                c30 = c00, c31 = c01, c32 = c02, c33 = c03;
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a0 + ars]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a0 + 2 * ars]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a0 + 3 * ars]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
        }
        int r0 = cOff + i * ldc + j, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
            c01.add(FloatVector.fromArray(S, c, r0 + L)).intoArray(c, r0 + L);
            c02.add(FloatVector.fromArray(S, c, r0 + 2 * L)).intoArray(c, r0 + 2 * L);
            c03.add(FloatVector.fromArray(S, c, r0 + 3 * L)).intoArray(c, r0 + 3 * L);
            c10.add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
            c11.add(FloatVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
            c12.add(FloatVector.fromArray(S, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
            c13.add(FloatVector.fromArray(S, c, r1 + 3 * L)).intoArray(c, r1 + 3 * L);
            c20.add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
            c21.add(FloatVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
            c22.add(FloatVector.fromArray(S, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
            c23.add(FloatVector.fromArray(S, c, r2 + 3 * L)).intoArray(c, r2 + 3 * L);
            c30.add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
            c31.add(FloatVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
            c32.add(FloatVector.fromArray(S, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
            c33.add(FloatVector.fromArray(S, c, r3 + 3 * L)).intoArray(c, r3 + 3 * L);
        } else {
            c00.intoArray(c, r0); c01.intoArray(c, r0 + L); c02.intoArray(c, r0 + 2 * L); c03.intoArray(c, r0 + 3 * L);
            c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L); c13.intoArray(c, r1 + 3 * L);
            c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L); c23.intoArray(c, r2 + 3 * L);
            c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L); c33.intoArray(c, r3 + 3 * L);
        }
    }

    /**
     * Products with {@value #FEW_ROWS_MIN}-{@value #FEW_ROWS_MAX} rows of C: a skinny layer's {@code dW^T = dY^T X}
     * (10 classes by 784 inputs over a batch of 64). The 4-row tile left 10 rows as 4 + 4 + 1 + 1, the two
     * single rows each a pass over B of one accumulator chain per vector, and copied B's strips first; 5 rows
     * by 4 vectors covers 10 rows in two passes, B read in place, 20 accumulators against 4 loads and 5
     * broadcasts. Each element is still one chain of multiply-adds in k order: the same bits as any tile.
     */
    static final int FEW_ROWS_MIN = 5, FEW_ROWS_MAX = 15;

    private static void panelFewRows(int j0, int j1, int m, int k, float[] a, int aOff, int ars, int aks,
                                     float[] b, int bOff, int ldb, boolean acc, float[] bias, int biasOff,
                                     float[] c, int cOff, int ldc) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            int i = 0;
            for (; i + 5 <= m; i += 5) panel5x4(i, j, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
            for (; i < m; i++) {
                for (int v = 0; v < 4 * L; v += L) panel1x1(i, j + v, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
            }
        }
        for (; j + L <= j1; j += L) {
            int i = 0;
            for (; i + 4 <= m; i += 4) panel4x1(i, j, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
            for (; i < m; i++) panel1x1(i, j, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
        }
        if (j < j1) MaskedColumns.tail(j, j1 - j, m, k, a, aOff, ars, aks, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
    }

    private static void panel5x4(int i, int j, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                                 boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j)), c01 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + L)), c02 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + 2 * L)), c03 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + 3 * L)),
                c10 = c00, c11 = c01, c12 = c02, c13 = c03, c20 = c00, c21 = c01, c22 = c02, c23 = c03,
                c30 = c00, c31 = c01, c32 = c02, c33 = c03, c40 = c00, c41 = c01, c42 = c02, c43 = c03;
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, b, bp + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02); c03 = x.fma(b3, c03);
            x = FloatVector.broadcast(S, a[a0 + ars]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12); c13 = x.fma(b3, c13);
            x = FloatVector.broadcast(S, a[a0 + 2 * ars]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22); c23 = x.fma(b3, c23);
            x = FloatVector.broadcast(S, a[a0 + 3 * ars]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32); c33 = x.fma(b3, c33);
            x = FloatVector.broadcast(S, a[a0 + 4 * ars]);
            c40 = x.fma(b0, c40); c41 = x.fma(b1, c41); c42 = x.fma(b2, c42); c43 = x.fma(b3, c43);
        }
        int r0 = cOff + i * ldc + j, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc, r4 = r3 + ldc;
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
            c01.add(FloatVector.fromArray(S, c, r0 + L)).intoArray(c, r0 + L);
            c02.add(FloatVector.fromArray(S, c, r0 + 2 * L)).intoArray(c, r0 + 2 * L);
            c03.add(FloatVector.fromArray(S, c, r0 + 3 * L)).intoArray(c, r0 + 3 * L);
            c10.add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
            c11.add(FloatVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
            c12.add(FloatVector.fromArray(S, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
            c13.add(FloatVector.fromArray(S, c, r1 + 3 * L)).intoArray(c, r1 + 3 * L);
            c20.add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
            c21.add(FloatVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
            c22.add(FloatVector.fromArray(S, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
            c23.add(FloatVector.fromArray(S, c, r2 + 3 * L)).intoArray(c, r2 + 3 * L);
            c30.add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
            c31.add(FloatVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
            c32.add(FloatVector.fromArray(S, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
            c33.add(FloatVector.fromArray(S, c, r3 + 3 * L)).intoArray(c, r3 + 3 * L);
            c40.add(FloatVector.fromArray(S, c, r4)).intoArray(c, r4);
            c41.add(FloatVector.fromArray(S, c, r4 + L)).intoArray(c, r4 + L);
            c42.add(FloatVector.fromArray(S, c, r4 + 2 * L)).intoArray(c, r4 + 2 * L);
            c43.add(FloatVector.fromArray(S, c, r4 + 3 * L)).intoArray(c, r4 + 3 * L);
        } else {
            c00.intoArray(c, r0); c01.intoArray(c, r0 + L); c02.intoArray(c, r0 + 2 * L); c03.intoArray(c, r0 + 3 * L);
            c10.intoArray(c, r1); c11.intoArray(c, r1 + L); c12.intoArray(c, r1 + 2 * L); c13.intoArray(c, r1 + 3 * L);
            c20.intoArray(c, r2); c21.intoArray(c, r2 + L); c22.intoArray(c, r2 + 2 * L); c23.intoArray(c, r2 + 3 * L);
            c30.intoArray(c, r3); c31.intoArray(c, r3 + L); c32.intoArray(c, r3 + 2 * L); c33.intoArray(c, r3 + 3 * L);
            c40.intoArray(c, r4); c41.intoArray(c, r4 + L); c42.intoArray(c, r4 + 2 * L); c43.intoArray(c, r4 + 3 * L);
        }
    }

    private static void store(float[] c, int at, float s, boolean acc, float[] bias, int biasAt) {
        if (bias != null) s += bias[biasAt];
        c[at] = acc ? c[at] + s : s;
    }

    // The kernels below spell out their start values and stores instead of calling a helper with a
    // vector argument: once a 12-accumulator kernel exceeds C2's inlining budget, such a helper is
    // called out of line and every vector passed to it is boxed (measured: 166 kB allocated per W2
    // step in the accumulating dW products, 61 kB in the forward with a bias). Vector API methods
    // themselves are always inlined.

    private static void panel4x3(int i, int j, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                                 boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j)), c01 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + L)), c02 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + 2 * L)),
                c10 = c00, c11 = c01, c12 = c02, c20 = c00, c21 = c01, c22 = c02, c30 = c00, c31 = c01, c32 = c02;
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            FloatVector b1 = FloatVector.fromArray(S, b, bp + L);
            FloatVector b2 = FloatVector.fromArray(S, b, bp + 2 * L);
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(b0, c00); c01 = x.fma(b1, c01); c02 = x.fma(b2, c02);
            x = FloatVector.broadcast(S, a[a0 + ars]);
            c10 = x.fma(b0, c10); c11 = x.fma(b1, c11); c12 = x.fma(b2, c12);
            x = FloatVector.broadcast(S, a[a0 + 2 * ars]);
            c20 = x.fma(b0, c20); c21 = x.fma(b1, c21); c22 = x.fma(b2, c22);
            x = FloatVector.broadcast(S, a[a0 + 3 * ars]);
            c30 = x.fma(b0, c30); c31 = x.fma(b1, c31); c32 = x.fma(b2, c32);
        }
        int r0 = cOff + i * ldc + j, r1 = r0 + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, r0)).intoArray(c, r0);
            c01.add(FloatVector.fromArray(S, c, r0 + L)).intoArray(c, r0 + L);
            c02.add(FloatVector.fromArray(S, c, r0 + 2 * L)).intoArray(c, r0 + 2 * L);
            c10.add(FloatVector.fromArray(S, c, r1)).intoArray(c, r1);
            c11.add(FloatVector.fromArray(S, c, r1 + L)).intoArray(c, r1 + L);
            c12.add(FloatVector.fromArray(S, c, r1 + 2 * L)).intoArray(c, r1 + 2 * L);
            c20.add(FloatVector.fromArray(S, c, r2)).intoArray(c, r2);
            c21.add(FloatVector.fromArray(S, c, r2 + L)).intoArray(c, r2 + L);
            c22.add(FloatVector.fromArray(S, c, r2 + 2 * L)).intoArray(c, r2 + 2 * L);
            c30.add(FloatVector.fromArray(S, c, r3)).intoArray(c, r3);
            c31.add(FloatVector.fromArray(S, c, r3 + L)).intoArray(c, r3 + L);
            c32.add(FloatVector.fromArray(S, c, r3 + 2 * L)).intoArray(c, r3 + 2 * L);
        } else {
            c00.intoArray(c, r0);
            c01.intoArray(c, r0 + L);
            c02.intoArray(c, r0 + 2 * L);
            c10.intoArray(c, r1);
            c11.intoArray(c, r1 + L);
            c12.intoArray(c, r1 + 2 * L);
            c20.intoArray(c, r2);
            c21.intoArray(c, r2 + L);
            c22.intoArray(c, r2 + 2 * L);
            c30.intoArray(c, r3);
            c31.intoArray(c, r3 + L);
            c32.intoArray(c, r3 + 2 * L);
        }
    }

    private static void panel1x3(int i, int j, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                                 boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j)), c01 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + L)), c02 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j + 2 * L));
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(FloatVector.fromArray(S, b, bp), c00);
            c01 = x.fma(FloatVector.fromArray(S, b, bp + L), c01);
            c02 = x.fma(FloatVector.fromArray(S, b, bp + 2 * L), c02);
        }
        int r = cOff + i * ldc + j;
        if (acc) {
            c00.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
            c01.add(FloatVector.fromArray(S, c, r + L)).intoArray(c, r + L);
            c02.add(FloatVector.fromArray(S, c, r + 2 * L)).intoArray(c, r + 2 * L);
        } else {
            c00.intoArray(c, r);
            c01.intoArray(c, r + L);
            c02.intoArray(c, r + 2 * L);
        }
    }

    private static void panel4x1(int i, int j, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                                 boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c0 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j)), c1 = c0, c2 = c0, c3 = c0;
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            FloatVector b0 = FloatVector.fromArray(S, b, bp);
            c0 = FloatVector.broadcast(S, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a0 + ars]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2 * ars]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3 * ars]).fma(b0, c3);
        }
        int r = cOff + i * ldc + j;
        if (acc) {
            c0.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
            c1.add(FloatVector.fromArray(S, c, r + ldc)).intoArray(c, r + ldc);
            c2.add(FloatVector.fromArray(S, c, r + 2 * ldc)).intoArray(c, r + 2 * ldc);
            c3.add(FloatVector.fromArray(S, c, r + 3 * ldc)).intoArray(c, r + 3 * ldc);
        } else {
            c0.intoArray(c, r);
            c1.intoArray(c, r + ldc);
            c2.intoArray(c, r + 2 * ldc);
            c3.intoArray(c, r + 3 * ldc);
        }
    }

    private static void panel1x1(int i, int j, int k, float[] a, int aOff, int ars, int aks, float[] b, int bOff, int ldb,
                                 boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector c0 = (bias == null ? FloatVector.zero(S) : FloatVector.fromArray(S, bias, biasOff + j));
        int a0 = aOff + i * ars, bp = bOff + j;
        for (int p = 0; p < k; p++, a0 += aks, bp += ldb) {
            c0 = FloatVector.broadcast(S, a[a0]).fma(FloatVector.fromArray(S, b, bp), c0);
        }
        int r = cOff + i * ldc + j;
        if (acc) {
            c0.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        } else {
            c0.intoArray(c, r);
        }
    }

    /** Columns of C per dot-product tile: a split of {@link #dots} cuts at multiples of it. */
    static final int DOT_COLUMNS = 5;

    /**
     * Rows in pairs, columns in fives: 10 classes are two tiles that share each pair of rows while it is in
     * L1, where a 4-row by 3-column tile covered 9 of 10 classes and left the tenth to one accumulator chain
     * per row (latency-bound), and read each row of A four times. The dense layers call dots only with
     * C narrower than 3 vectors (a classifier's outputs), so a pair of rows and all of B stay in L1.
     */
    private static void dotColumns(int j0, int j1, int m, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        int i = 0;
        for (; i + 2 <= m; i += 2) {
            int j = j0;
            for (; j + DOT_COLUMNS <= j1; j += DOT_COLUMNS) dot2x5(i, j, k, a, aOff, lda, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
            for (; j < j1; j++) {
                dot1x1(i, j, k, a, aOff, lda, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
                dot1x1(i + 1, j, k, a, aOff, lda, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
            }
        }
        for (; i < m; i++) {
            for (int j = j0; j < j1; j++) dot1x1(i, j, k, a, aOff, lda, b, bOff, ldb, acc, bias, biasOff, c, cOff, ldc);
        }
    }

    private static void dot2x5(int i, int j, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s02 = s00, s03 = s00, s04 = s00,
                s10 = s00, s11 = s00, s12 = s00, s13 = s00, s14 = s00;
        int a0 = aOff + i * lda, a1 = a0 + lda, b0 = bOff + j * ldb;
        int p = 0, upper = S.loopBound(k);
        for (; p < upper; p += L) {
            FloatVector x0 = FloatVector.fromArray(S, a, a0 + p);
            FloatVector x1 = FloatVector.fromArray(S, a, a1 + p);
            FloatVector w = FloatVector.fromArray(S, b, b0 + p);
            s00 = x0.fma(w, s00); s10 = x1.fma(w, s10);
            w = FloatVector.fromArray(S, b, b0 + ldb + p);
            s01 = x0.fma(w, s01); s11 = x1.fma(w, s11);
            w = FloatVector.fromArray(S, b, b0 + 2 * ldb + p);
            s02 = x0.fma(w, s02); s12 = x1.fma(w, s12);
            w = FloatVector.fromArray(S, b, b0 + 3 * ldb + p);
            s03 = x0.fma(w, s03); s13 = x1.fma(w, s13);
            w = FloatVector.fromArray(S, b, b0 + 4 * ldb + p);
            s04 = x0.fma(w, s04); s14 = x1.fma(w, s14);
        }
        int b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb, b4 = b3 + ldb;
        int r0 = cOff + i * ldc + j, r1 = r0 + ldc, bo = biasOff + j;
        finish(LaneMath.sum(s00), a, a0, b, b0, p, k, c, r0, acc, bias, bo);
        finish(LaneMath.sum(s01), a, a0, b, b1, p, k, c, r0 + 1, acc, bias, bo + 1);
        finish(LaneMath.sum(s02), a, a0, b, b2, p, k, c, r0 + 2, acc, bias, bo + 2);
        finish(LaneMath.sum(s03), a, a0, b, b3, p, k, c, r0 + 3, acc, bias, bo + 3);
        finish(LaneMath.sum(s04), a, a0, b, b4, p, k, c, r0 + 4, acc, bias, bo + 4);
        finish(LaneMath.sum(s10), a, a1, b, b0, p, k, c, r1, acc, bias, bo);
        finish(LaneMath.sum(s11), a, a1, b, b1, p, k, c, r1 + 1, acc, bias, bo + 1);
        finish(LaneMath.sum(s12), a, a1, b, b2, p, k, c, r1 + 2, acc, bias, bo + 2);
        finish(LaneMath.sum(s13), a, a1, b, b3, p, k, c, r1 + 3, acc, bias, bo + 3);
        finish(LaneMath.sum(s14), a, a1, b, b4, p, k, c, r1 + 4, acc, bias, bo + 4);
    }

    /** Adds the scalar tail from {@code p} to k to one dot product's summed lanes, and stores it. */
    private static void finish(float s, float[] a, int ar, float[] b, int bq, int p, int k,
                               float[] c, int at, boolean acc, float[] bias, int biasAt) {
        for (; p < k; p++) s = Math.fma(a[ar + p], b[bq + p], s);
        store(c, at, s, acc, bias, biasAt);
    }

    private static void dot1x1(int i, int j, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               boolean acc, float[] bias, int biasOff, float[] c, int cOff, int ldc) {
        int ar = aOff + i * lda, bq = bOff + j * ldb;
        FloatVector s0 = FloatVector.zero(S);
        int p = 0, upper = S.loopBound(k);
        for (; p < upper; p += L) s0 = FloatVector.fromArray(S, a, ar + p).fma(FloatVector.fromArray(S, b, bq + p), s0);
        float s = LaneMath.sum(s0);
        for (; p < k; p++) s = Math.fma(a[ar + p], b[bq + p], s);
        store(c, cOff + i * ldc + j, s, acc, bias, biasOff + j);
    }
}
