package dev.nnlab.kernels;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A diagnostic, not a test: why does a large SGEMM not run twice as fast on two threads? Run with
 * {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * dev.nnlab.kernels.GemmScalingProbe calls 2 30} (every call of a fresh JVM, timed: wall, the caller's and
 * the pool workers' CPU, the JIT's compile time) or {@code ... alternate 40} (1 and 2 threads alternated
 * after warm-up, medians of wall and per-CPU-second GFLOPS). Prints to stdout only.
 */
public final class GemmScalingProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private GemmScalingProbe() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "calls";
        int n = Integer.getInteger("n", 1024);
        float[] a = random(n * n, 1), b = random(n * n, 2), c = new float[n * n];
        switch (mode) {
            case "calls" -> calls(n, a, b, c, Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "alternate" -> alternate(n, a, b, c, Integer.parseInt(args[1]));
            case "independent" -> independent(n, Integer.parseInt(args[1]));
            case "procedure" -> procedure(n, a, b, c);
            case "wide" -> wide(Integer.parseInt(args[1]));
            case "loop" -> {
                Parallelism.setThreads(2);
                for (int i = 0; i < 200; i++) Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                double[] t = timed(n, a, b, c);
                System.out.printf("back to back, 2 threads: median of 10 %.1f GFLOPS (JIT %.0f ms), load %.1f%n", t[0], t[1], loadAverage());
            }
            case "blocking" -> blocking(n, a, b, c, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Arrays.copyOfRange(args, 3, args.length));
            default -> throw new IllegalArgumentException("mode calls|alternate, got " + mode);
        }
        System.exit(0);
    }

    /** Every call timed from a cold JVM: shows when C2 has compiled the kernel and when the worker joins. */
    static void calls(int n, float[] a, float[] b, float[] c, int threads, int count) {
        Parallelism.setThreads(threads);
        double gflop = 2.0 * n * n * n / 1e9;
        System.out.println("call  wall_ms  gflops  caller_cpu_ms  workers_cpu_ms  jit_ms");
        for (int i = 0; i < count; i++) {
            long jit0 = JIT.getTotalCompilationTime();
            long[] w0 = workerCpu();
            long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
            long[] w1 = workerCpu();
            long jit1 = JIT.getTotalCompilationTime();
            System.out.printf("%4d %8.2f %7.1f %14.2f %15.2f %7d%n", i, (t1 - t0) / 1e6, gflop / ((t1 - t0) / 1e9),
                    (c1 - c0) / 1e6, (sum(w1) - sum(w0)) / 1e6, jit1 - jit0);
        }
    }

    /** After warm-up, 1 and 2 threads alternated: wall GFLOPS and GFLOPS per second of all threads' CPU. */
    static void alternate(int n, float[] a, float[] b, float[] c, int rounds) {
        double gflop = 2.0 * n * n * n / 1e9;
        for (int t : new int[] {1, 2, 1, 2}) {
            Parallelism.setThreads(t);
            for (int i = 0; i < 10; i++) Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        }
        List<double[]> one = new ArrayList<>(), two = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int t = 1; t <= 2; t++) {
                Parallelism.setThreads(t);
                Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); // the pool's workers started
                long[] w0 = workerCpu();
                long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
                Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                long t1 = System.nanoTime(), c1 = THREADS.getCurrentThreadCpuTime();
                long[] w1 = workerCpu();
                double wall = (t1 - t0) / 1e9, cpu = (c1 - c0 + (t == 1 ? 0 : sum(w1) - sum(w0))) / 1e9;
                (t == 1 ? one : two).add(new double[] {gflop / wall, gflop / cpu, cpu / wall, loadAverage()});
            }
        }
        System.out.println("threads  median_wall_gflops  median_gflops_per_cpu_s  median_busy_cores  best_wall  load");
        for (int t = 1; t <= 2; t++) {
            List<double[]> l = t == 1 ? one : two;
            System.out.printf("%7d %19.1f %24.1f %18.2f %10.1f %5.1f%n", t, median(l, 0), median(l, 1), median(l, 2),
                    l.stream().mapToDouble(x -> x[0]).max().orElse(0), median(l, 3));
        }
    }

    /**
     * W0's timing procedures in one fresh JVM on 2 threads: the old one (8 warm-up calls, the median of the
     * next 10) and then the bench's new one (calls until no JIT compilation has finished for 5 calls and
     * 1 s, the median of the next 10), with the JIT's compile time during each timed window.
     */
    static void procedure(int n, float[] a, float[] b, float[] c) {
        Parallelism.setThreads(2);
        for (int i = 0; i < 8; i++) Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
        double[] old = timed(n, a, b, c);
        long start = System.nanoTime(), quietSince = start, last = JIT.getTotalCompilationTime();
        int calls = 0, quietCalls = 0;
        while (quietCalls < 5 || System.nanoTime() - quietSince < 1_000_000_000L) {
            Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            calls++;
            long j = JIT.getTotalCompilationTime();
            if (j != last) { last = j; quietSince = System.nanoTime(); quietCalls = 0; } else quietCalls++;
            if (System.nanoTime() - start > 60_000_000_000L) break;
        }
        double[] now = timed(n, a, b, c);
        System.out.printf("old procedure: %.1f GFLOPS (JIT %.0f ms during the timed calls); new: %.1f GFLOPS (JIT %.0f ms) after %d more calls, load %.1f%n",
                old[0], old[1], now[0], now[1], calls, loadAverage());
    }

    private static double[] timed(int n, float[] a, float[] b, float[] c) {
        double[] s = new double[10];
        long jit0 = JIT.getTotalCompilationTime();
        for (int i = 0; i < s.length; i++) {
            long t0 = System.nanoTime();
            Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        long jit1 = JIT.getTotalCompilationTime();
        Arrays.sort(s);
        return new double[] {2.0 * n * n * n / s[5] / 1e9, jit1 - jit0};
    }

    /**
     * W5's decoder products through {@link WideGemm} (logits 400x200 by 200x10000; dW += x^T dY, 200x400 by
     * 400x10000), 1 and 2 threads alternated: median wall GFLOPS of each and the 2-thread speed-up.
     */
    static void wide(int rounds) {
        int[][] shapes = {{400, 10000, 200, 0}, {200, 10000, 400, 1}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            boolean transA = sh[3] == 1;
            float[] a = random(m * k, 1), b = random(k * n, 2), c = new float[m * n];
            double[][] g = new double[2][rounds];
            for (int r = -20; r < rounds; r++) {
                for (int t = 1; t <= 2; t++) {
                    Parallelism.setThreads(t);
                    long t0 = System.nanoTime();
                    WideGemm.gemm(transA, m, n, k, a, 0, transA ? m : k, b, 0, n, transA, c, 0, n);
                    if (r >= 0) g[t - 1][r] = 2.0 * m * n * k / (System.nanoTime() - t0);
                }
            }
            Arrays.sort(g[0]);
            Arrays.sort(g[1]);
            System.out.printf("WideGemm %dx%dx%d%s: 1 thread %.1f GFLOPS, 2 threads %.1f (%.2fx), medians of %d%n", m, n, k,
                    transA ? " (A transposed, accumulate)" : "", g[0][rounds / 2], g[1][rounds / 2], g[1][rounds / 2] / g[0][rounds / 2], rounds);
        }
    }

    /** Block sizes "KC:MC" alternated call by call on {@code threads} threads: median and quartiles of wall GFLOPS. */
    static void blocking(int n, float[] a, float[] b, float[] c, int threads, int rounds, String[] sizes) {
        Parallelism.setThreads(threads);
        BlockedGemm[] g = new BlockedGemm[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            String[] kcMc = sizes[i].split(":");
            g[i] = new BlockedGemm(MicroKernel.forSpecies(VectorWidth.FLOATS), Integer.parseInt(kcMc[0]), Integer.parseInt(kcMc[1]), BlockedGemm.NC);
        }
        double[][] r = new double[sizes.length][rounds];
        for (int round = -10; round < rounds; round++) {
            for (int i = 0; i < g.length; i++) {
                long t0 = System.nanoTime();
                g[i].gemm(threads, false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
                if (round >= 0) r[i][round] = 2.0 * n * n * n / (System.nanoTime() - t0);
            }
        }
        for (int i = 0; i < g.length; i++) {
            Arrays.sort(r[i]);
            System.out.printf("%d threads KC:MC %-9s median %6.1f GFLOPS (quartiles %6.1f %6.1f, best %6.1f)%n", threads, sizes[i],
                    r[i][rounds / 2], r[i][rounds / 4], r[i][3 * rounds / 4], r[i][rounds - 1]);
        }
    }

    /**
     * The upper bound of a 2-thread split on this machine: two threads, each running its own 1-thread
     * product of half the rows (own A, B and C, nothing shared), against one thread running one of them;
     * alternated. Prints the median GFLOPS of the pair (both halves) and of the single half.
     */
    static void independent(int n, int rounds) {
        int m = n / 2;
        float[][] as = {random(m * n, 5), random(m * n, 6)}, bs = {random(n * n, 7), random(n * n, 8)};
        float[][] cs = {new float[m * n], new float[m * n]};
        BlockedGemm g = BlockedGemm.DEFAULT;
        double gflopHalf = 2.0 * m * n * n / 1e9;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2), end = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread other = new Thread(() -> {
            try {
                while (true) {
                    start.await();
                    if (stop.get()) return;
                    g.gemm(1, false, false, m, n, n, 1f, as[1], 0, n, bs[1], 0, n, 0f, cs[1], 0, n);
                    end.await();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        other.setDaemon(true);
        other.start();
        double[] one = new double[rounds], two = new double[rounds];
        try {
            for (int r = -10; r < rounds; r++) {
                long t0 = System.nanoTime();
                g.gemm(1, false, false, m, n, n, 1f, as[0], 0, n, bs[0], 0, n, 0f, cs[0], 0, n);
                long t1 = System.nanoTime();
                start.await();
                g.gemm(1, false, false, m, n, n, 1f, as[0], 0, n, bs[0], 0, n, 0f, cs[0], 0, n);
                end.await();
                long t2 = System.nanoTime();
                if (r >= 0) {
                    one[r] = gflopHalf / ((t1 - t0) / 1e9);
                    two[r] = 2 * gflopHalf / ((t2 - t1) / 1e9);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Arrays.sort(one);
        Arrays.sort(two);
        System.out.printf("independent halves (%dx%dx%d each): 1 thread median %.1f GFLOPS (best %.1f), 2 threads at once median %.1f (best %.1f): %.2fx, load %.1f%n",
                m, n, n, one[rounds / 2], one[rounds - 1], two[rounds / 2], two[rounds - 1], two[rounds / 2] / one[rounds / 2], loadAverage());
    }

    private static long[] workerCpu() {
        List<Long> cpu = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("nnlab-kernel-")) cpu.add(THREADS.getThreadCpuTime(t.threadId()));
        }
        return cpu.stream().mapToLong(Long::longValue).toArray();
    }

    private static long sum(long[] x) {
        long s = 0;
        for (long v : x) s += Math.max(0, v);
        return s;
    }

    private static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(x -> x[col]).toArray();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static float[] random(int size, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
