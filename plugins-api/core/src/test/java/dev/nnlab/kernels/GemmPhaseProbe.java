package dev.nnlab.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A diagnostic, not a test: {@link BlockedGemm}'s row split of an NN product (C = A B, beta 0) written
 * out again with a clock around every phase, per thread: packing op(B), packing op(A), the
 * micro-kernel sweeps, and waiting (from a thread's last task to the end of the call). Thread CPU time
 * and wall time are both kept, so a loaded machine shows up as wall > CPU. The production code has no
 * clocks in it; this copy follows its loop nest and block sizes ({@code -Dmc=}, {@code -Dchunks=}).
 *
 * <p>Variants: {@code shared} (op(B) packed once and shared, rows in fixed chunks, 4 per thread: the
 * code before the guided claims), {@code guided}, {@code guided12/24/96} (shared op(B), rows claimed
 * OpenMP-"guided" with at least that many rows: BlockedGemm now), {@code halves} (the row split before
 * the shared op(B): fixed halves, each thread packing all of op(B) in (KC, NC) blocks), {@code halvesWide}
 * (the same with one column block), and in the alternating mode {@code sgemm} (the production call).
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * dev.nnlab.kernels.GemmPhaseProbe VARIANT REPS [threads]} (phases per thread) or
 * {@code ... GemmPhaseProbe sgemm,shared,guided ROUNDS} (variants alternated call by call on 2 threads).
 */
public final class GemmPhaseProbe {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int KC = BlockedGemm.KC, NC = BlockedGemm.NC;
    private static final int MC = Integer.getInteger("mc", BlockedGemm.MC);
    private static final int CHUNKS_PER_TASK = Integer.getInteger("chunks", 4);

    private final MicroKernel kernel = MicroKernel.forSpecies(VectorWidth.FLOATS);
    private final int mr = kernel.mr(), nr = kernel.nr();
    private final int n;
    private final float[] a, b, c, sharedB;
    private final float[][] aPack = new float[2][], bPack = new float[2][], tile = new float[2][];
    /** Per thread slot: 0 packB cpu, 1 packB wall, 2 packA cpu, 3 packA wall, 4 kernel cpu, 5 kernel wall, 6 wait wall, 7 start delay wall, 8 chunks. */
    private final long[][] stats = new long[2][9];
    private final int[][] index = new int[2][GemmPacking.indexLength()];

    private GemmPhaseProbe(int n) {
        this.n = n;
        a = random(n * n, 1);
        b = random(n * n, 2);
        c = new float[n * n];
        sharedB = new float[Math.min(KC, n) * ceil(n, nr) * nr];
        for (int t = 0; t < 2; t++) {
            aPack[t] = new float[MC * KC];
            bPack[t] = new float[KC * Math.max(NC, ceil(n, nr) * nr)];
            tile[t] = new float[mr * nr];
        }
    }

    public static void main(String[] args) {
        if (args[0].contains(",")) {
            alternate(args[0].split(","), Integer.parseInt(args[1]));
            return;
        }
        String variant = args[0];
        int reps = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int n = Integer.getInteger("n", 1024);
        Parallelism.setThreads(threads);
        GemmPhaseProbe p = new GemmPhaseProbe(n);
        float[] expected = new float[n * n];
        Sgemm.gemm(false, false, n, n, n, 1f, p.a, 0, n, p.b, 0, n, 0f, expected, 0, n);
        for (int i = 0; i < 20; i++) p.run(variant, threads); // warm-up: JIT
        for (long[] s : p.stats) java.util.Arrays.fill(s, 0);
        java.util.Arrays.fill(p.rowFlops, 0);
        long wall = 0;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            p.run(variant, threads);
            wall += System.nanoTime() - t0;
        }
        if (threads == 2) {
            var w = p.waits.subList(p.waits.size() - reps, p.waits.size());
            long[] w0 = w.stream().mapToLong(x -> x[0]).sorted().toArray(), w1 = w.stream().mapToLong(x -> x[1]).sorted().toArray();
            long[] call = w.stream().mapToLong(x -> x[2]).sorted().toArray();
            System.out.printf(Locale.ROOT, "median per call: caller's wait %.3f ms, worker's wait %.3f ms, call %.3f ms (%.1f GFLOPS)%n",
                    w0[reps / 2] / 1e6, w1[reps / 2] / 1e6, call[reps / 2] / 1e6, 2.0 * n * n * n / call[reps / 2]);
        }
        double maxErr = 0;
        for (int i = 0; i < expected.length; i++) maxErr = Math.max(maxErr, Math.abs(expected[i] - p.c[i]));
        double gflop = 2.0 * n * n * n * reps / 1e9;
        System.out.printf(Locale.ROOT, "%s, %d threads, MC %d, %d chunks/task: %.1f GFLOPS wall (%d reps), load %.1f, max |diff| vs Sgemm %.2g%n",
                variant, threads, MC, CHUNKS_PER_TASK, gflop / (wall / 1e9), reps,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), maxErr);
        System.out.println("thread  packB_cpu_ms packB_wall  packA_cpu packA_wall  kernel_cpu kernel_wall  kernel_GFLOPS/cpu_s  wait_wall  start_delay  chunks  (per call)");
        for (int t = 0; t < threads; t++) {
            long[] s = p.stats[t];
            System.out.printf(Locale.ROOT, "%6d %13.3f %10.3f %10.3f %10.3f %11.3f %11.3f %20.1f %10.3f %12.3f %7.1f%n", t,
                    s[0] / 1e6 / reps, s[1] / 1e6 / reps, s[2] / 1e6 / reps, s[3] / 1e6 / reps, s[4] / 1e6 / reps,
                    s[5] / 1e6 / reps, p.rowFlops[t] / (s[4] / 1e9) / 1e9, s[6] / 1e6 / reps, s[7] / 1e6 / reps,
                    (double) s[8] / reps);
        }
        System.exit(0);
    }

    private final double[] rowFlops = new double[2];
    /** Per call on 2 threads: wall from the caller's and the worker's last row to the end of the call, and the call. */
    private final java.util.List<long[]> waits = new java.util.ArrayList<>();

    /** Variants alternated call by call in one JVM on 2 threads (plus "sgemm", the production code): median and quartiles of wall GFLOPS. */
    private static void alternate(String[] variants, int rounds) {
        int n = Integer.getInteger("n", 1024);
        Parallelism.setThreads(2);
        GemmPhaseProbe p = new GemmPhaseProbe(n);
        double[][] g = new double[variants.length][rounds];
        for (int r = -10; r < rounds; r++) {
            for (int v = 0; v < variants.length; v++) {
                long t0 = System.nanoTime();
                if (variants[v].equals("sgemm")) {
                    Sgemm.gemm(false, false, n, n, n, 1f, p.a, 0, n, p.b, 0, n, 0f, p.c, 0, n);
                } else {
                    p.run(variants[v], 2);
                }
                if (r >= 0) g[v][r] = 2.0 * n * n * n / (System.nanoTime() - t0);
            }
        }
        for (int v = 0; v < variants.length; v++) {
            java.util.Arrays.sort(g[v]);
            System.out.printf(Locale.ROOT, "%-8s median %6.1f GFLOPS (quartiles %6.1f %6.1f, best %6.1f) over %d calls, MC %d, chunks %d, minRows %d%n",
                    variants[v], g[v][rounds / 2], g[v][rounds / 4], g[v][3 * rounds / 4], g[v][rounds - 1], rounds, MC,
                    CHUNKS_PER_TASK, MIN_ROWS);
        }
        System.exit(0);
    }

    private void run(String variant, int threads) {
        switch (variant) {
            case "shared" -> shared(threads);
            case "halves" -> halves(threads, NC);
            case "halvesWide" -> halves(threads, n);
            case "guided" -> guided(threads, MIN_ROWS);
            case "guided24" -> guided(threads, 24);
            case "guided96" -> guided(threads, 96);
            case "guided12" -> guided(threads, 12);
            default -> throw new IllegalArgumentException(variant);
        }
    }

    /** As BlockedGemm.gemmSharedB for 1024^3 (one k slice, one column block as wide as C). */
    private void shared(int threads) {
        long call0 = System.nanoTime();
        long[] done = new long[2];
        int units = ceil(n, mr), chunks = Math.min(units, threads * CHUNKS_PER_TASK);
        int panels = ceil(n, nr);
        int kc = Math.min(KC, n);
        for (int pc = 0; pc < n; pc += KC) {
            int p0 = pc;
            invoke(threads, threads, t -> {
                int slot = slot();
                long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
                if (p0 == 0) stats[slot][7] += w0 - call0;
                int q0 = panels * t / threads, q1 = panels * (t + 1) / threads;
                int from = q0 * nr, cols = Math.min(n, q1 * nr) - from;
                GemmPacking.packB(false, b, 0, n, p0, kc, from, cols, nr, sharedB, from * kc, index[slot]);
                stats[slot][0] += CPU.getCurrentThreadCpuTime() - c0;
                stats[slot][1] += System.nanoTime() - w0;
            });
            AtomicInteger next = new AtomicInteger();
            invoke(threads, chunks, t -> {
                int slot = slot();
                int from = Math.min(n, units * t / chunks * mr), to = Math.min(n, units * (t + 1) / chunks * mr);
                rows(slot, sharedB, from, to, 0, n, p0, kc);
                stats[slot][8]++;
                done[slot] = System.nanoTime();
            });
        }
        long end = System.nanoTime();
        for (int t = 0; t < threads; t++) if (done[t] != 0) stats[t][6] += end - done[t];
        if (threads == 2) waits.add(new long[] {end - done[0], end - done[1], end - call0});
    }

    private static final int MIN_ROWS = Integer.getInteger("minRows", BlockedGemm.MIN_CLAIM_ROWS);

    /** As {@link #shared}, but each claim takes a share of the rows left (OpenMP's guided schedule), at least MIN_ROWS. */
    private void guided(int threads, int minRows) {
        long call0 = System.nanoTime();
        long[] done = new long[2];
        int panels = ceil(n, nr);
        int kc = Math.min(KC, n);
        for (int pc = 0; pc < n; pc += KC) {
            int p0 = pc;
            invoke(threads, threads, t -> {
                int slot = slot();
                long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
                if (p0 == 0) stats[slot][7] += w0 - call0;
                int q0 = panels * t / threads, q1 = panels * (t + 1) / threads;
                int from = q0 * nr, cols = Math.min(n, q1 * nr) - from;
                GemmPacking.packB(false, b, 0, n, p0, kc, from, cols, nr, sharedB, from * kc, index[slot]);
                stats[slot][0] += CPU.getCurrentThreadCpuTime() - c0;
                stats[slot][1] += System.nanoTime() - w0;
            });
            AtomicInteger next = new AtomicInteger();
            invoke(threads, threads, t -> {
                int slot = slot();
                while (true) {
                    int from, rows;
                    do {
                        from = next.get();
                        if (from >= n) { done[slot] = System.nanoTime(); return; }
                        int left = n - from;
                        rows = Math.min(left, Math.max(minRows, ceil(left, 2 * threads * mr) * mr));
                    } while (!next.compareAndSet(from, from + rows));
                    rows(slot, sharedB, from, from + rows, 0, n, p0, kc);
                    stats[slot][8]++;
                }
            });
        }
        long end = System.nanoTime();
        for (int t = 0; t < threads; t++) if (done[t] != 0) stats[t][6] += end - done[t];
        if (threads == 2) waits.add(new long[] {end - done[0], end - done[1], end - call0});
    }

    /** The row split before the shared B: fixed halves, each thread packing all of op(B) in (KC, NC) blocks. */
    private void halves(int threads, int ncBlock) {
        long call0 = System.nanoTime();
        long[] done = new long[2];
        int units = ceil(n, mr);
        invoke(threads, threads, t -> {
            int slot = slot();
            stats[slot][7] += System.nanoTime() - call0;
            int from = Math.min(n, units * t / threads * mr), to = Math.min(n, units * (t + 1) / threads * mr);
            for (int jc = 0; jc < n; jc += ncBlock) {
                int ncb = Math.min(ncBlock, n - jc);
                for (int pc = 0; pc < n; pc += KC) {
                    int kc = Math.min(KC, n - pc);
                    long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
                    GemmPacking.packB(false, b, 0, n, pc, kc, jc, ncb, nr, bPack[slot], index[slot]);
                    stats[slot][0] += CPU.getCurrentThreadCpuTime() - c0;
                    stats[slot][1] += System.nanoTime() - w0;
                    rows(slot, bPack[slot], from, to, jc, ncb, pc, kc);
                }
            }
            stats[slot][8]++;
            done[slot] = System.nanoTime();
        });
        long end = System.nanoTime();
        for (int t = 0; t < threads; t++) if (done[t] != 0) stats[t][6] += end - done[t];
        if (threads == 2) waits.add(new long[] {end - done[0], end - done[1], end - call0});
    }

    /** Rows [i0, i1) of C's columns [jc, jc + ncb) for one k slice, as BlockedGemm.multiplyRows with A packed. */
    private void rows(int slot, float[] packedB, int i0, int i1, int jc, int ncb, int pc, int kc) {
        for (int ic = i0; ic < i1; ic += MC) {
            int mcb = Math.min(MC, i1 - ic);
            long w0 = System.nanoTime(), c0 = CPU.getCurrentThreadCpuTime();
            GemmPacking.packA(false, a, 0, n, ic, mcb, pc, kc, mr, aPack[slot], index[slot]);
            long w1 = System.nanoTime(), c1 = CPU.getCurrentThreadCpuTime();
            float beta = pc == 0 ? 0f : 1f;
            for (int jr = 0; jr < ncb; jr += nr) {
                int cols = Math.min(nr, ncb - jr);
                for (int ir = 0; ir < mcb; ir += mr) {
                    int rws = Math.min(mr, mcb - ir);
                    int cTile = (ic + ir) * n + jc + jr;
                    if (rws == mr && cols == nr && beta == 0f) {
                        kernel.multiply(kc, aPack[slot], ir * kc, packedB, jr * kc, 1f, 0f, c, cTile, n);
                    } else {
                        kernel.multiply(kc, aPack[slot], ir * kc, packedB, jr * kc, 1f, 0f, tile[slot], 0, nr);
                        for (int r = 0; r < rws; r++) {
                            for (int j = 0; j < cols; j++) {
                                c[cTile + r * n + j] = tile[slot][r * nr + j] + beta * c[cTile + r * n + j];
                            }
                        }
                    }
                }
            }
            long w2 = System.nanoTime(), c2 = CPU.getCurrentThreadCpuTime();
            stats[slot][2] += c1 - c0;
            stats[slot][3] += w1 - w0;
            stats[slot][4] += c2 - c1;
            stats[slot][5] += w2 - w1;
            rowFlops[slot] += 2.0 * mcb * ncb * kc;
        }
    }

    /** On one thread the tasks run inline, as BlockedGemm never uses the pool then. */
    private static void invoke(int threads, int tasks, java.util.function.IntConsumer task) {
        if (threads == 1) {
            for (int t = 0; t < tasks; t++) task.accept(t);
        } else {
            Parallelism.pool().invokeAll(tasks, task);
        }
    }

    /** 0 for the caller (main), 1 for the pool's worker. */
    private static int slot() {
        return WorkerPool.onWorkerThread() ? 1 : 0;
    }

    private static int ceil(int x, int y) { return (x + y - 1) / y; }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
