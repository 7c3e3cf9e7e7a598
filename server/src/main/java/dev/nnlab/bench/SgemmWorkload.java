package dev.nnlab.bench;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.kernels.Sgemm;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * W0 on nnlab's side: SGEMM 1024^3 (C = A B, row-major floats), the median GFLOPS of {@value #REPS}
 * timed calls on {@code --threads} threads, then on 1, as {@code numpy_sgemm.py} times numpy.
 *
 * <p>The warm-up runs until the JIT is done with the product, not for a fixed count of calls: C2
 * compiles {@code BlockedGemm}'s loop nest (several compilations of a few hundred milliseconds of a
 * compiler thread each) around the 10th call of a fresh JVM, which with 8 warm-up calls fell on the
 * timed ones. On 2 cores a compiler thread then holds one of them, and the 2-thread figure came out
 * as the 1-thread one (quiet 2026-11-30: 85.9 GFLOPS in one round, 132.4 in the next, against 87.2
 * on 1 thread). OpenBLAS has no JIT to wait for. The line records how long the warm-up took and the
 * CPU that threads other than the measured ones (JIT, GC) used during the timed calls.
 */
final class SgemmWorkload {
    static final int SIZE = 1024, MIN_WARMUP = 8, REPS = 10;
    /** The warm-up ends once no compilation has finished for this long and {@value #QUIET_CALLS} calls. */
    static final long JIT_QUIET_NANOS = 1_000_000_000L;
    static final int QUIET_CALLS = 5;
    /** ... or after this long in any case (a machine so loaded that the JIT never catches up). */
    static final long MAX_WARMUP_NANOS = 60_000_000_000L;

    private SgemmWorkload() {}

    static Map<String, Object> run(int threads) {
        int n = SIZE;
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        Warmup warm = warmUp(n, a, b, c, MIN_WARMUP);
        CpuWindow window = new CpuWindow();
        Timed timed = median(n, a, b, c);
        CpuWindow.Usage usage = window.close();
        Map<String, Object> perThreads = new LinkedHashMap<>();
        perThreads.put(String.valueOf(threads), round1(timed.gflops()));
        if (threads > 1) {
            Parallelism.setThreads(1);
            warmUp(n, a, b, c, 2);
            perThreads.put("1", round1(median(n, a, b, c).gflops()));
            Parallelism.setThreads(threads);
        }
        Map<String, Object> out = NnlabWorkloadMain.result(round1(timed.gflops()), "GFLOPS", null, null, usage);
        FmaPeak peak = FmaPeak.estimate();
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("gflops_threads", perThreads);
        extra.put("kernel_threads", threads);
        extra.put("warmup_calls", warm.calls());
        extra.put("warmup_s", round3(warm.seconds()));
        extra.put("jvm_other_cpu_s", round3(timed.otherCpuSeconds()));
        extra.put("nominal_peak_gflops", round1(peak.gflops()));
        extra.put("nominal_peak_derivation", peak.derivation());
        out.put("extra", extra);
        return out;
    }

    record Warmup(int calls, double seconds) {}

    /**
     * At least {@code minCalls} calls, then more until no JIT compilation has finished during the last
     * {@value #QUIET_CALLS} calls and {@link #JIT_QUIET_NANOS} (at most {@link #MAX_WARMUP_NANOS}).
     */
    static Warmup warmUp(int n, float[] a, float[] b, float[] c, int minCalls) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean watch = jit != null && jit.isCompilationTimeMonitoringSupported();
        long start = System.nanoTime(), quietSince = start, lastJit = watch ? jit.getTotalCompilationTime() : 0;
        int calls = 0, quietCalls = 0;
        while (true) {
            gemm(n, a, b, c);
            calls++;
            long now = System.nanoTime();
            if (!watch) {
                if (calls >= minCalls) break;
                continue;
            }
            long j = jit.getTotalCompilationTime();
            if (j != lastJit) {
                lastJit = j;
                quietSince = now;
                quietCalls = 0;
            } else {
                quietCalls++;
            }
            boolean jitDone = quietCalls >= QUIET_CALLS && now - quietSince >= JIT_QUIET_NANOS;
            if (calls >= minCalls && (jitDone || now - start >= MAX_WARMUP_NANOS)) break;
        }
        return new Warmup(calls, (System.nanoTime() - start) / 1e9);
    }

    record Timed(double gflops, double otherCpuSeconds) {}

    /** The median of {@value #REPS} timed calls, and the CPU the JVM's other threads used meanwhile. */
    static Timed median(int n, float[] a, float[] b, float[] c) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = processCpuNanos(), own0 = kernelThreadsCpuNanos(threads);
        double[] s = new double[REPS];
        for (int i = 0; i < s.length; i++) {
            long t0 = System.nanoTime();
            gemm(n, a, b, c);
            s[i] = (System.nanoTime() - t0) / 1e9;
        }
        long cpu1 = processCpuNanos(), own1 = kernelThreadsCpuNanos(threads);
        Arrays.sort(s);
        double other = cpu0 < 0 || cpu1 < 0 ? -1 : Math.max(0, (cpu1 - cpu0) - (own1 - own0)) / 1e9;
        return new Timed(2.0 * n * n * n / s[s.length / 2] / 1e9, other);
    }

    private static void gemm(int n, float[] a, float[] b, float[] c) {
        Sgemm.gemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
    }

    /** This thread's CPU plus the kernel pool's ({@code nnlab-kernel-*}). */
    private static long kernelThreadsCpuNanos(ThreadMXBean mx) {
        long sum = Math.max(0, mx.getCurrentThreadCpuTime());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("nnlab-kernel-")) sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
        }
        return sum;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static double round1(double v) { return Math.round(v * 10) / 10.0; }

    private static double round3(double v) { return Math.round(v * 1000) / 1000.0; }
}
