package dev.nnlab.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A diagnostic, not a test: CPU time of packing a (1024, 1024) op(B) (B as stored, ld 1024) into
 * (1024, 16) panels, as {@link GemmPacking#packB} does it (row by row) and in other orders; on one
 * thread the whole of B, on two threads (-Dthreads=2) each half of the panels into one shared buffer,
 * as BlockedGemm's row split does. Orders alternated; median microseconds per call of each thread.
 */
public final class PackBProbe {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private PackBProbe() {}

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int threads = Integer.getInteger("threads", 1);
        int n = 1024, nr = VectorWidth.FLOATS.length() * 2, kc = 1024;
        float[] b = new float[n * n], dst = new float[n * n];
        for (int i = 0; i < b.length; i++) b[i] = i;
        String[] orders = {"rows", "panels", "block8", "block32"};
        Parallelism.setThreads(threads);
        double[][] us = new double[orders.length][rounds];
        int[] index = new int[GemmPacking.indexLength()];
        for (int r = -20; r < rounds; r++) {
            for (int o = 0; o < orders.length; o++) {
                String order = orders[o];
                long[] cpu = new long[threads];
                java.util.function.IntConsumer task = t -> {
                    long c0 = CPU.getCurrentThreadCpuTime();
                    int panels = n / nr, q0 = panels * t / threads, q1 = panels * (t + 1) / threads;
                    pack(order, b, n, kc, q0 * nr, (q1 - q0) * nr, nr, dst, q0 * nr * kc, index);
                    cpu[t] = CPU.getCurrentThreadCpuTime() - c0;
                };
                if (threads == 1) task.accept(0); else Parallelism.pool().invokeAll(threads, task);
                if (r >= 0) us[o][r] = Arrays.stream(cpu).max().orElse(0) / 1e3;
            }
        }
        for (int o = 0; o < orders.length; o++) {
            Arrays.sort(us[o]);
            System.out.printf(Locale.ROOT, "%d threads %-8s median %7.1f us CPU per thread-call (quartiles %7.1f %7.1f)%n",
                    threads, orders[o], us[o][rounds / 2], us[o][rounds / 4], us[o][3 * rounds / 4]);
        }
        System.exit(0);
    }

    private static void pack(String order, float[] b, int ldb, int kc, int j0, int nc, int nr, float[] dst, int dOff, int[] index) {
        switch (order) {
            case "rows" -> GemmPacking.packB(false, b, 0, ldb, 0, kc, j0, nc, nr, dst, dOff, index);
            case "panels" -> {
                for (int q = 0; q * nr < nc; q++) {
                    int base = dOff + q * nr * kc, src = j0 + q * nr;
                    for (int p = 0; p < kc; p++) System.arraycopy(b, src + p * ldb, dst, base + p * nr, nr);
                }
            }
            case "block8", "block32" -> {
                int pb = order.equals("block8") ? 8 : 32;
                for (int p0 = 0; p0 < kc; p0 += pb) {
                    for (int q = 0; q * nr < nc; q++) {
                        int base = dOff + q * nr * kc, src = j0 + q * nr;
                        for (int p = p0; p < Math.min(kc, p0 + pb); p++) System.arraycopy(b, src + p * ldb, dst, base + p * nr, nr);
                    }
                }
            }
            default -> throw new IllegalArgumentException(order);
        }
    }
}
