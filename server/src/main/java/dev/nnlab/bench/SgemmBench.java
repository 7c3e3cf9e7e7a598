package dev.nnlab.bench;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.kernels.Sgemm;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * W0: SGEMM 1024x1024x1024 (NN, alpha 1, beta 0) in GFLOPS, on 1 and on {@code --threads}
 * threads, next to OpenBLAS (through numpy) on the same thread counts in the same run, and the
 * machine's nominal FMA peak. Every timing is the median of {@value #REPS} calls after
 * {@value #WARMUP} warm-up calls (which let C2 compile the kernels); the best call is reported too.
 */
final class SgemmBench implements Benchmark {
    static final int SIZE = 1024;
    static final int WARMUP = 8;
    static final int REPS = 15;

    @Override public String name() { return "sgemm"; }

    @Override public String description() { return "W0: SGEMM 1024^3 GFLOPS, nnlab vs OpenBLAS (numpy), 1 and N threads"; }

    @Override
    public void run(Context ctx, PrintStream out, PrintStream log) {
        int m = SIZE, n = SIZE, k = SIZE;
        List<Integer> threadCounts = ctx.threads() > 1 ? List.of(1, ctx.threads()) : List.of(1);
        Map<Integer, Double> nnlab = new LinkedHashMap<>();
        int before = Parallelism.threads();
        try {
            for (int t : threadCounts) {
                Parallelism.setThreads(t);
                Timing timing = timeNnlab(m, n, k);
                nnlab.put(t, timing.gflops(m, n, k));
                out.println(resultLine("nnlab", m, n, k, t, timing, ""));
            }
        } finally {
            Parallelism.setThreads(before);
        }

        Map<Integer, Double> openblas = new LinkedHashMap<>();
        OpenBlasRunner runner = OpenBlasRunner.find(log);
        if (runner != null) {
            for (int t : threadCounts) {
                Timing timing = runner.time(SIZE, t, WARMUP, REPS);
                openblas.put(t, timing.gflops(m, n, k));
                out.println(resultLine("openblas", m, n, k, t, timing,
                        ",\"library\":\"" + runner.library() + "\",\"python\":\"" + runner.python() + "\""));
            }
            for (int t : threadCounts) {
                out.println(String.format(Locale.ROOT,
                        "{\"bench\":\"sgemm\",\"ratio\":\"nnlab/openblas\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,\"value\":%.3f}",
                        m, n, k, t, nnlab.get(t) / openblas.get(t)));
            }
        }
        out.println(FmaPeak.estimate().jsonLine());
    }

    private static Timing timeNnlab(int m, int n, int k) {
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < WARMUP; i++) Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        double[] seconds = new double[REPS];
        for (int i = 0; i < REPS; i++) {
            long t0 = System.nanoTime();
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            seconds[i] = (System.nanoTime() - t0) * 1e-9;
        }
        return Timing.of(seconds);
    }

    private static String resultLine(String system, int m, int n, int k, int threads, Timing t, String extra) {
        return String.format(Locale.ROOT,
                "{\"bench\":\"sgemm\",\"system\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,"
                        + "\"gflops\":%.1f,\"stat\":\"median of %d after %d warm-up\",\"best_gflops\":%.1f%s}",
                system, m, n, k, threads, t.gflops(m, n, k), REPS, WARMUP, t.bestGflops(m, n, k), extra);
    }

    /** Median and best wall time of one call, in seconds. */
    record Timing(double medianSeconds, double bestSeconds) {
        static Timing of(double[] seconds) {
            double[] s = seconds.clone();
            Arrays.sort(s);
            double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
            return new Timing(median, s[0]);
        }

        double gflops(int m, int n, int k) { return 2.0 * m * n * k / medianSeconds / 1e9; }

        double bestGflops(int m, int n, int k) { return 2.0 * m * n * k / bestSeconds / 1e9; }
    }

}
