package dev.nnlab.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Not a test: GFLOPS per second of this thread's CPU time of W3's two convolutions (batch 64) per pass
 * (forward, input gradient, weight gradient) on one thread, next to the SGEMM of the same product, so
 * that the kernels can be compared with the micro-kernel under load (thread CPU time is what the load
 * changes least). Counts only the useful multiply-adds (2 x cin x cout x 9 x h x w per sample).
 * Run: {@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * dev.nnlab.kernels.Conv3x3Speed [rounds]}.
 */
final class Conv3x3Speed {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Parallelism.setThreads(1);
        int batch = 64;
        for (int r = 0; r < rounds; r++) {
            boolean print = r >= rounds / 2;
            layer("conv1", 1, 32, 28, 28, batch, print);
            layer("conv2", 32, 64, 14, 14, batch, print);
            if (args.length > 1) {
                layer("res16", 16, 16, 32, 32, batch, print);
                layer("res4", 4, 16, 32, 32, batch, print);
                layer("res64", 64, 64, 8, 8, batch, print);
            }
            if (print) System.out.println();
        }
    }

    static void layer(String name, int cin, int cout, int h, int w, int batch, boolean print) {
        SplittableRandom r = new SplittableRandom(1);
        int ps = Conv3x3.planeStride(h, w), lq = Conv3x3.flatLength(h, w), wp = Conv3x3.paddedWidth(w);
        int group = Math.max(1, Math.min(16, 2048 / lq));
        float[] wt = rnd(r, cout * cin * 9), bias = rnd(r, cout), packed = new float[wt.length], flipped = new float[wt.length];
        float[] x = new float[(group * cin + 1) * ps], dy = new float[(group * cout + 1) * ps];
        for (int c = 0; c < group * cin; c++) fillInterior(r, x, c * ps, h, w, wp);
        for (int c = 0; c < group * cout; c++) fillInterior(r, dy, c * ps, h, w, wp);
        float[] flat = new float[Math.max(cin, cout) * lq], dw = new float[cout * cin * 9];
        double flops = 2.0 * cin * cout * 9 * h * w * batch;
        Conv3x3.packWeights(cin, cout, wt, 0, false, packed);
        Conv3x3.packWeights(cin, cout, wt, 0, true, flipped);
        long t0 = cpu();
        for (int s = 0; s < batch; s++) {
            Conv3x3.forward(cin, cout, h, w, packed, bias, 0, x, (s % group) * ps, group * ps, flat, 0);
        }
        long t1 = cpu();
        float[] gw = new float[Conv3x3.gemmWeightsLength(cin, cout, false)], scratch = new float[Conv3x3.gemmScratchLength(cin)];
        Conv3x3.packGemmWeights(cin, cout, wt, 0, bias, 0, false, gw);
        long t1a = cpu();
        for (int s = 0; s < batch; s++) {
            Conv3x3.forwardGemm(cin, cout, h, w, gw, x, (s % group) * ps, group * ps, flat, 0, scratch);
        }
        long t1b = cpu();
        for (int s = 0; s < batch; s++) {
            Conv3x3.forward(cout, cin, h, w, flipped, null, 0, dy, (s % group) * ps, group * ps, flat, 0);
        }
        long t2 = cpu();
        for (int g = 0; g < batch; g += group) {
            int count = Math.min(group, batch - g);
            Conv3x3.weightGradient(cin, cout, h, w, count, dy, 0, group * ps, x, 0, group * ps, dw, 0);
        }
        long t3 = cpu();
        float[] gf = new float[Conv3x3.gemmWeightsLength(cin, cout, true)], scratchF = new float[Conv3x3.gemmScratchLength(cout)];
        Conv3x3.packGemmWeights(cin, cout, wt, 0, null, 0, true, gf);
        long t2a = cpu();
        for (int s = 0; s < batch; s++) {
            Conv3x3.forwardGemm(cout, cin, h, w, gf, dy, (s % group) * ps, group * ps, flat, 0, scratchF);
        }
        long t2b = cpu();
        float[] pd = new float[Conv3x3.packedGradientLength(cout, h, w)], dwT = new float[9 * cin * Conv3x3.gradientColumns(cout)];
        float[] dyImg = rnd(r, cout * h * w);
        long t3a = cpu();
        for (int s = 0; s < batch; s++) {
            Conv3x3.packGradient(cout, h, w, dyImg, 0, pd, 0);
            Conv3x3.weightGradientGemm(cin, cout, h, w, pd, 0, x, (s % group) * ps, group * ps, dwT);
        }
        Conv3x3.addTransposed(cin, cout, dwT, dw, 0);
        long t3b = cpu();
        for (int s = 0; s < batch; s++) Conv3x3.packGradient(cout, h, w, dyImg, 0, pd, 0);
        long t3c = cpu();
        // The same products as GEMMs: Y (cout, hw) = W (cout, 9 cin) col (9 cin, hw) per sample, and the
        // weight gradient dW (cout, 9 cin) += dY (cout, hw) col^T over the batch.
        int k = 9 * cin, n = h * w;
        float[] col = rnd(r, k * n), y = new float[cout * n], dyS = rnd(r, cout * n), colT = rnd(r, n * k);
        long t4 = cpu();
        for (int s = 0; s < batch; s++) Sgemm.gemm(false, false, cout, n, k, 1f, wt, 0, k, col, 0, n, 0f, y, 0, n);
        long t5 = cpu();
        for (int s = 0; s < batch; s++) Sgemm.gemm(false, false, cout, k, n, 1f, dyS, 0, n, colT, 0, k, 1f, dw, 0, k);
        long t6 = cpu();
        if (print) {
            System.out.printf("%s %dx%dx%d->%d  forward %.1f  fwdGemm %.1f  dx %.1f  dxGemm %.1f  dW %.1f  dWgemm %.1f (pack %.0f%%)  | sgemm fwd-shape %.1f  dW-shape %.1f GFLOPS (thread CPU)%n",
                    name, cin, h, w, cout, flops / (t1 - t0), flops / (t1b - t1a), flops / (t2 - t1), flops / (t2b - t2a), flops / (t3 - t2), flops / (t3b - t3a), 100.0 * (t3c - t3b) / (t3b - t3a),
                    flops / (t5 - t4), flops / (t6 - t5));
        }
        if (Arrays.hashCode(flat) == 42 && dw[0] == 7f) System.out.println("!");
    }

    private static void fillInterior(SplittableRandom r, float[] a, int off, int h, int w, int wp) {
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) a[off + (i + 1) * wp + j + 1] = (float) r.nextGaussian();
        }
    }

    private static float[] rnd(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static long cpu() { return MX.getCurrentThreadCpuTime(); }
}
