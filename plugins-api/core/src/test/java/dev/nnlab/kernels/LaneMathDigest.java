package dev.nnlab.kernels;

import java.util.SplittableRandom;

/**
 * A digest of the bits the tier-sensitive kernels produce on fixed inputs; {@link LaneMathTest} runs
 * it in an interpreted child JVM and compares it with its own, warmed up.
 */
final class LaneMathDigest {
    private LaneMathDigest() {}

    public static void main(String[] args) {
        System.out.println(digest());
    }

    static String digest() {
        SplittableRandom r = new SplittableRandom(11);
        int n = 37 * VectorWidth.FLOATS.length() + 5;
        float[] x = new float[n], y = new float[n], out = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian() * 4;
            y[i] = (float) r.nextGaussian();
        }
        long h = 17;
        h = h * 31 + Float.floatToRawIntBits(VectorOps.dot(n, x, 0, y, 0));
        h = h * 31 + Float.floatToRawIntBits(VectorOps.sum(n, x, 0));
        VectorOps.softmaxRows(1, n, x, 0, out, 0);
        for (float v : out) h = h * 31 + Float.floatToRawIntBits(v);
        int L = VectorWidth.FLOATS.length();
        for (int i = 0; i + L <= n; i += L) {
            var v = jdk.incubator.vector.FloatVector.fromArray(VectorWidth.FLOATS, x, i);
            h = h * 31 + Float.floatToRawIntBits(LaneMath.sum(v));
            LaneMath.exp(v).intoArray(out, i);
            LaneMath.tanh(v).add(out[i]).intoArray(out, i);
            h = h * 31 + Float.floatToRawIntBits(LaneMath.sum(LaneMath.expNonPositive(v.neg().abs().mul(3f))));
        }
        for (float v : out) h = h * 31 + Float.floatToRawIntBits(v);
        return Long.toHexString(h);
    }
}
