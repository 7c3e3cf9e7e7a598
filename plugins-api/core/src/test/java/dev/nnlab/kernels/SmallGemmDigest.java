package dev.nnlab.kernels;

import java.util.SplittableRandom;

/**
 * A digest of the bits {@link SmallGemm#panel} and {@link SmallGemm#dots} produce on fixed operands of
 * awkward shapes; {@link SmallGemmStressTest} runs it in an interpreted child JVM and compares it with
 * its own, taken after C2 has compiled the kernels.
 */
final class SmallGemmDigest {
    private SmallGemmDigest() {}

    public static void main(String[] args) {
        System.out.println(digest());
    }

    static String digest() {
        int L = SmallGemm.lanes();
        int[][] shapes = {{1, 1, 1}, {1, 37, 3 * L + 5}, {37, 1, 2 * L + 1}, {9, 3 * L + 1, L - 1}, {8, 4 * L + 3, 3 * L + 3},
                {5, 7, 4 * L}, {12, 10, 5 * L + 7}};
        SplittableRandom r = new SplittableRandom(19);
        long h = 17;
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            float[] a = random(m * k, r), b = random(k * n, r), bt = random(n * k, r), bias = random(n, r);
            float[] c = random(m * n, r), d = c.clone(), e = new float[m * n], f = new float[m * n];
            SmallGemm.panel(m, n, k, a, 0, k, 1, b, 0, n, true, null, 0, c, 0, n);
            SmallGemm.panel(m, n, k, a, 0, 1, m, b, 0, n, false, bias, 0, e, 0, n); // A read down its columns
            SmallGemm.dots(m, n, k, a, 0, k, bt, 0, k, true, null, 0, d, 0, n);
            SmallGemm.dots(m, n, k, a, 0, k, bt, 0, k, false, bias, 0, f, 0, n);
            for (float[] out : new float[][] {c, d, e, f}) {
                for (float v : out) h = h * 31 + Float.floatToRawIntBits(v);
            }
        }
        return Long.toHexString(h);
    }

    private static float[] random(int n, SplittableRandom r) {
        float[] x = new float[n];
        // Magnitudes far apart, so that another summation order rounds differently.
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble(-1, 1) * Math.pow(10, r.nextInt(-3, 4)));
        return x;
    }
}
