package dev.nnlab.bench;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.kernels.Sgemm;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * W0: SGEMM 1024x1024x1024 (NN, alpha 1, beta 0) in GFLOPS, on 1 and on {@code --threads}
 * threads, next to OpenBLAS (through numpy) on the same thread counts in the same run, and the
 * machine's nominal FMA peak.
 *
 * <p>The two systems are measured in {@value #ROUNDS} interleaved rounds of {@value #REPS} calls
 * each (after {@value #WARMUP} warm-up calls, which also let C2 compile the kernels), so that load
 * from other processes drifts over both alike. The reported figure is the median call over all
 * rounds; the best call is reported too.
 */
final class SgemmBench implements Benchmark {
    static final int SIZE = 1024;
    static final int WARMUP = 8;
    static final int REPS = 10;
    static final int ROUNDS = 3;

    @Override public String name() { return "sgemm"; }

    @Override public String description() { return "W0: SGEMM 1024^3 GFLOPS, nnlab vs OpenBLAS (numpy), 1 and N threads"; }

    @Override
    public void run(Context ctx, PrintStream out, PrintStream log) {
        int m = SIZE, n = SIZE, k = SIZE;
        List<Integer> threadCounts = ctx.threads() > 1 ? List.of(1, ctx.threads()) : List.of(1);
        OpenBlasRunner openblas = OpenBlasRunner.find(log);
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        NnlabSide nnlab = new NnlabSide(m, n, k);
        for (int round = 0; round < ROUNDS; round++) {
            log.printf("sgemm: round %d of %d%n", round + 1, ROUNDS);
            for (int t : threadCounts) {
                seconds.computeIfAbsent("nnlab/" + t, x -> new ArrayList<>())
                        .addAll(nnlab.time(t, round == 0 ? WARMUP : 1, REPS));
                if (openblas != null) {
                    seconds.computeIfAbsent("openblas/" + t, x -> new ArrayList<>())
                            .addAll(openblas.time(SIZE, t, round == 0 ? WARMUP : 1, REPS));
                }
            }
        }

        double flops = 2.0 * m * n * k;
        for (String system : openblas == null ? List.of("nnlab") : List.of("nnlab", "openblas")) {
            for (int t : threadCounts) {
                Timing timing = Timing.of(seconds.get(system + "/" + t));
                String extra = system.equals("openblas")
                        ? ",\"library\":\"" + openblas.library() + "\",\"python\":\"" + openblas.python() + "\"" : "";
                out.println(String.format(Locale.ROOT,
                        "{\"bench\":\"sgemm\",\"system\":\"%s\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,"
                                + "\"gflops\":%.1f,\"stat\":\"median of %d calls in %d interleaved rounds\","
                                + "\"best_gflops\":%.1f%s}",
                        system, m, n, k, t, flops / timing.median() / 1e9, timing.count(), ROUNDS,
                        flops / timing.best() / 1e9, extra));
            }
        }
        if (openblas != null) {
            for (int t : threadCounts) {
                double ratio = Timing.of(seconds.get("openblas/" + t)).median()
                        / Timing.of(seconds.get("nnlab/" + t)).median();
                out.println(String.format(Locale.ROOT,
                        "{\"bench\":\"sgemm\",\"ratio\":\"nnlab/openblas\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":%d,\"value\":%.3f}",
                        m, n, k, t, ratio));
            }
        }
        out.println(FmaPeak.estimate().jsonLine());
    }

    /** The nnlab side: random inputs in [-1, 1), timed through the public {@link Sgemm} entry point. */
    private static final class NnlabSide {
        private final int m, n, k;
        private final float[] a, b, c;

        NnlabSide(int m, int n, int k) {
            this.m = m;
            this.n = n;
            this.k = k;
            SplittableRandom r = new SplittableRandom(1);
            a = new float[m * k];
            b = new float[k * n];
            c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        }

        List<Double> time(int threads, int warmup, int reps) {
            int before = Parallelism.threads();
            Parallelism.setThreads(threads);
            try {
                for (int i = 0; i < warmup; i++) multiply();
                List<Double> seconds = new ArrayList<>(reps);
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    multiply();
                    seconds.add((System.nanoTime() - t0) * 1e-9);
                }
                return seconds;
            } finally {
                Parallelism.setThreads(before);
            }
        }

        private void multiply() {
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        }
    }

    /** Median and best of a list of call durations, in seconds. */
    record Timing(double median, double best, int count) {
        static Timing of(List<Double> seconds) {
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
            return new Timing(median, s[0], s.length);
        }
    }
}
