package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A diagnostic, not a test: SGEMM speed per second of CPU time, which a loaded machine disturbs far
 * less than wall time. {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * dev.nnlab.kernels.GemmCpuProbe variants THREADS ROUNDS KERNEL:KC:MC:NC[:DIRECT] ...} alternates block-size
 * variants call by call on 1024^3 NN ({@code -Dm= -Dn= -Dk= -Dlda=} for others; KERNEL: a {@link MicroKernel} class name,
 * or "default"; DIRECT: the most B panels for which A is read in place, 0 for never) and prints
 * each one's median GFLOPS per CPU-second of the threads doing the work (caller plus pool workers).
 * {@code ... peak} measures a register-only FMA loop at the chosen width (the machine's FMA peak per
 * CPU-second); {@code ... kernel KERNEL KC} the micro-kernel alone on packed panels that stay in cache.
 */
public final class GemmCpuProbe {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;

    private GemmCpuProbe() {}

    public static void main(String[] args) throws Exception {
        findWorkers();
        System.out.println(BlockedGemm.DEFAULT + ", load " + GemmScalingProbe.loadAverage());
        switch (args[0]) {
            case "peak" -> peak();
            case "variants" -> variants(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Arrays.copyOfRange(args, 3, args.length));
            case "pack" -> pack(Integer.parseInt(args[1]));
            case "kernel" -> kernel(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    static MicroKernel kernelNamed(String name) throws Exception {
        if (name.equals("default")) return MicroKernel.forSpecies(VectorWidth.FLOATS);
        var ctor = Class.forName("dev.nnlab.kernels." + name).getDeclaredConstructor();
        ctor.setAccessible(true);
        return (MicroKernel) ctor.newInstance();
    }

    static BlockedGemm variant(String spec) throws Exception {
        String[] p = spec.split(":");
        MicroKernel kern = kernelNamed(p[0]);
        int kc = Integer.parseInt(p[1]), mc = Integer.parseInt(p[2]), nc = Integer.parseInt(p[3]);
        return p.length > 4
                ? new BlockedGemm(kern, kc, mc, nc, BlockedGemm.SHARED_B_MIN_FLOATS, BlockedGemm.SHARED_B_MAX_FLOATS, Integer.parseInt(p[4]))
                : new BlockedGemm(kern, kc, mc, nc);
    }

    static void variants(int threads, int rounds, String[] specs) throws Exception {
        int n = Integer.getInteger("n", 1024), m = Integer.getInteger("m", n), k = Integer.getInteger("k", n), lda = Integer.getInteger("lda", k);
        Parallelism.setThreads(threads);
        float[] a = random(m * lda, 1), b = random(k * n, 2), c = new float[m * n];
        BlockedGemm[] g = new BlockedGemm[specs.length];
        for (int i = 0; i < specs.length; i++) g[i] = variant(specs[i]);
        double[][] cpu = new double[specs.length][rounds], wall = new double[specs.length][rounds];
        double flop = 2.0 * m * n * k;
        long warmEnd = System.nanoTime() + Long.getLong("warmupMs", 8000) * 1_000_000L;
        int warm = 0;
        while (System.nanoTime() < warmEnd || warm < 20) {
            for (BlockedGemm x : g) x.gemm(threads, false, false, m, n, k, 1f, a, 0, lda, b, 0, n, 0f, c, 0, n);
            warm++;
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < g.length; i++) {
                long c0 = workCpu(), t0 = System.nanoTime();
                g[i].gemm(threads, false, false, m, n, k, 1f, a, 0, lda, b, 0, n, 0f, c, 0, n);
                long t1 = System.nanoTime(), c1 = workCpu();
                cpu[i][r] = flop / (c1 - c0);
                wall[i][r] = flop / (t1 - t0);
            }
        }
        System.out.printf("%dx%dx%d, %d threads, %d rounds after %d warm-up rounds, load %.1f%n", m, n, k, threads, rounds, warm,
                GemmScalingProbe.loadAverage());
        for (int i = 0; i < g.length; i++) {
            Arrays.sort(cpu[i]);
            Arrays.sort(wall[i]);
            System.out.printf("%-28s GFLOPS per CPU-s median %6.1f (quartiles %6.1f %6.1f, best %6.1f); wall median %6.1f best %6.1f%n",
                    specs[i], cpu[i][rounds / 2], cpu[i][rounds / 4], cpu[i][3 * rounds / 4], cpu[i][rounds - 1],
                    wall[i][rounds / 2], wall[i][rounds - 1]);
        }
    }

    /** The micro-kernel alone: one (mr, kc) A panel and a few (kc, nr) B panels, all in L1/L2, swept repeatedly. */
    static void kernel(String name, int kc, int rounds) throws Exception {
        MicroKernel kern = kernelNamed(name);
        int mr = kern.mr(), nr = kern.nr(), panels = 4;
        float[] ap = random(mr * kc, 1), bp = random(kc * nr * panels, 2), c = new float[mr * nr * panels];
        double[] r = new double[rounds];
        for (int round = -20; round < rounds; round++) {
            long c0 = MX.getCurrentThreadCpuTime();
            int calls = 2000;
            for (int i = 0; i < calls; i++) {
                int q = i % panels;
                kern.multiply(kc, ap, 0, bp, q * kc * nr, 1f, 0f, c, q * nr, nr * panels);
            }
            long c1 = MX.getCurrentThreadCpuTime();
            if (round >= 0) r[round] = 2.0 * mr * nr * kc * calls / (c1 - c0);
        }
        Arrays.sort(r);
        System.out.printf("%s (%dx%d) kc=%d alone: GFLOPS per CPU-s median %.1f best %.1f%n", name, mr, nr, kc, r[rounds / 2], r[rounds - 1]);
    }

    /** Transposing 96x1024 of a row-major 1024-wide A into 12-row panels: production packA, scalar code and 4x4 blocks. */
    static void pack(int rounds) {
        int ld = 1024, mc = 96, kc = 1024, mr = 12;
        float[] a = random(ld * ld, 1), dst = new float[mc * kc];
        int[] index = new int[GemmPacking.indexLength()];
        double[][] r = new double[3][rounds];
        for (int round = -20; round < rounds; round++) {
            for (int v = 0; v < 3; v++) {
                long c0 = MX.getCurrentThreadCpuTime();
                for (int rep = 0; rep < 20; rep++) {
                    int i0 = (rep * 96) % 960;
                    if (v == 0) {
                        GemmPacking.packA(false, a, 0, ld, i0, mc, 0, kc, mr, dst, index);
                    } else if (v == 2) {
                        for (int q = 0; q < mc / mr; q++) GemmPacking.transpose4x4(a, (i0 + q * mr) * ld, ld, mr, kc, dst, q * mr * kc, mr);
                    } else {
                        for (int q = 0; q < mc / mr; q++) GemmPacking.transposeScalar(a, (i0 + q * mr) * ld, ld, mr, kc, dst, q * mr * kc, mr);
                    }
                }
                long c1 = MX.getCurrentThreadCpuTime();
                if (round >= 0) r[v][round] = 20.0 * mc * kc / (c1 - c0);
            }
        }
        for (int v = 0; v < 3; v++) {
            Arrays.sort(r[v]);
            System.out.printf("%s: %.2f floats per CPU-ns (median), best %.2f%n", new String[] {"packA (production)", "transposeScalar", "transpose4x4"}[v],
                    r[v][rounds / 2], r[v][rounds - 1]);
        }
    }

    /** 16 independent FMA chains at the chosen width: the FMA peak per CPU-second. */
    static void peak() {
        double[] r = new double[15];
        float[] out = new float[S.length()];
        for (int round = -5; round < r.length; round++) {
            long c0 = MX.getCurrentThreadCpuTime();
            long iters = 20_000_000;
            fmaLoop(iters, out);
            long c1 = MX.getCurrentThreadCpuTime();
            if (round >= 0) r[round] = 2.0 * 16 * S.length() * iters / (c1 - c0);
        }
        Arrays.sort(r);
        System.out.printf("FMA loop, %d bits: GFLOPS per CPU-s median %.1f best %.1f (%.3f)%n", S.vectorBitSize(), r[r.length / 2], r[r.length - 1], out[0]);
    }

    private static void fmaLoop(long iters, float[] out) {
        FloatVector x = FloatVector.broadcast(S, 0.999999f), y = FloatVector.broadcast(S, 1e-7f);
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
            a12 = a12.fma(x, y); a13 = a13.fma(x, y); a14 = a14.fma(x, y); a15 = a15.fma(x, y);
        }
        a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .add(a12).add(a13).add(a14).add(a15).intoArray(out, 0);
    }

    /** CPU of this thread and the kernel pool's workers. */
    static long workCpu() {
        long s = MX.getCurrentThreadCpuTime();
        for (Thread t : WORKERS) s += Math.max(0, MX.getThreadCpuTime(t.threadId()));
        return s;
    }

    private static final List<Thread> WORKERS = new ArrayList<>();

    /** Called from main, not a static initialiser: a worker running a lambda of this class would wait for its initialisation. */
    private static void findWorkers() {
        Parallelism.setThreads(2);
        Parallelism.pool().invokeAll(2, t -> { });
        for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().startsWith("nnlab-kernel-")) WORKERS.add(t);
    }

    static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
