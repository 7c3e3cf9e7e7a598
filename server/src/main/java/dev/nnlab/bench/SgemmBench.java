package dev.nnlab.bench;

import dev.nnlab.kernels.Sgemm;

import java.io.PrintStream;
import java.util.Locale;
import java.util.SplittableRandom;

/** W0: SGEMM 1024x1024x1024 in GFLOPS. */
final class SgemmBench implements Benchmark {

    @Override public String name() { return "sgemm"; }

    @Override public String description() { return "W0: SGEMM 1024^3, GFLOPS"; }

    @Override
    public void run(Context ctx, PrintStream out, PrintStream log) {
        int m = 1024, n = 1024, k = 1024;
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        long best = Long.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            Sgemm.gemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            best = Math.min(best, System.nanoTime() - t0);
        }
        double gflops = 2.0 * m * n * k / best;
        out.println(String.format(Locale.ROOT,
                "{\"bench\":\"sgemm\",\"m\":%d,\"n\":%d,\"k\":%d,\"threads\":1,\"gflops\":%.1f}", m, n, k, gflops));
    }
}
