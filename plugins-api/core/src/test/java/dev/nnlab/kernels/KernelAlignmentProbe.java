package dev.nnlab.kernels;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A diagnostic, not a test: does the micro-kernel's speed depend on where in its array a packed panel
 * starts? One (96, 1024) block of packed op(A) swept against 64 packed (1024, 16) panels of op(B), as
 * one MC block of a 1024^3 product, with the B panels (or the A panels) shifted by 0..15 floats in
 * their array; GFLOPS per second of this thread's CPU, the offsets alternated, the median per offset.
 *
 * <p>{@code java --add-modules jdk.incubator.vector -cp core/target/classes:core/target/test-classes
 * dev.nnlab.kernels.KernelAlignmentProbe b|a|c ROUNDS}
 */
public final class KernelAlignmentProbe {
    private KernelAlignmentProbe() {}

    public static void main(String[] args) {
        String which = args[0];
        int rounds = Integer.parseInt(args[1]);
        MicroKernel kernel = MicroKernel.forSpecies(VectorWidth.FLOATS);
        int mr = kernel.mr(), nr = kernel.nr(), kc = 1024, mc = 96, nc = 1024;
        SplittableRandom r = new SplittableRandom(3);
        float[] b = new float[kc * nc + 64], a = new float[mc * kc + 64], c = new float[mc * nc + 64];
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextDouble(-1, 1);
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextDouble(-1, 1);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[][] rate = new double[16][rounds];
        for (int round = -3; round < rounds; round++) {
            for (int off = 0; off < 16; off++) {
                int ob = which.equals("b") ? off : 0, oa = which.equals("a") ? off : 0, oc = which.equals("c") ? off : 0;
                long c0 = cpu.getCurrentThreadCpuTime();
                for (int jr = 0; jr < nc; jr += nr) {
                    for (int ir = 0; ir < mc; ir += mr) {
                        kernel.multiply(kc, a, oa + ir * kc, b, ob + jr * kc, 1f, 0f, c, oc + ir * nc + jr, nc);
                    }
                }
                long c1 = cpu.getCurrentThreadCpuTime();
                if (round >= 0) rate[off][round] = 2.0 * mc * nc * kc / ((c1 - c0) / 1e9) / 1e9;
            }
        }
        System.out.printf(Locale.ROOT, "offset of %s (floats): median GFLOPS per CPU-second over %d rounds%n", which, rounds);
        for (int off = 0; off < 16; off++) {
            Arrays.sort(rate[off]);
            System.out.printf(Locale.ROOT, "%2d %6.1f  (min %5.1f, max %5.1f)%n", off, rate[off][rounds / 2], rate[off][0], rate[off][rounds - 1]);
        }
        System.exit(0);
    }
}
