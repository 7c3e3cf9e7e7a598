package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight-gradient register tile of the wide 3x3 convolutions ({@link Conv3x3Wide} at stride 1,
 * {@link Conv3x3Stride2Wide} at stride 2): 2 output channels x 9 taps, 18 accumulators for 32 vector registers,
 * 11 loads (9 runs of x, 2 of the gradient) per 18 FMAs. The two strides differ only in where the 9 runs of x start
 * (shifts within one padded plane at stride 1, six phase planes at stride 2), so the tile takes those offsets.
 */
final class GradientTile2x9 {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();

    private GradientTile2x9() {}

    /**
     * {@code dw[w0 + t] += sum_{q < n} dy[d + q] x[at[t] + q]} and {@code dw[w0 + fstride + t] += sum_{q < n}
     * dy[d + dyStride + q] x[at[t] + q]} for the 9 taps t, n a multiple of the vector length; each sum runs along
     * the lanes and is reduced once, at the end.
     */
    static void accumulate(int n, float[] dy, int d, int dyStride, float[] x, int[] at, float[] dw, int w0, int fstride,
                           float[] sums) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0;
        FloatVector b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0, b6 = a0, b7 = a0, b8 = a0;
        int d1 = d + dyStride;
        int x0 = at[0], x1 = at[1], x2 = at[2], x3 = at[3], x4 = at[4], x5 = at[5], x6 = at[6], x7 = at[7], x8 = at[8];
        for (int q = 0; q < n; q += L) {
            FloatVector g = FloatVector.fromArray(S, dy, d + q), h = FloatVector.fromArray(S, dy, d1 + q);
            FloatVector v = FloatVector.fromArray(S, x, x0 + q);
            a0 = v.fma(g, a0); b0 = v.fma(h, b0);
            v = FloatVector.fromArray(S, x, x1 + q);
            a1 = v.fma(g, a1); b1 = v.fma(h, b1);
            v = FloatVector.fromArray(S, x, x2 + q);
            a2 = v.fma(g, a2); b2 = v.fma(h, b2);
            v = FloatVector.fromArray(S, x, x3 + q);
            a3 = v.fma(g, a3); b3 = v.fma(h, b3);
            v = FloatVector.fromArray(S, x, x4 + q);
            a4 = v.fma(g, a4); b4 = v.fma(h, b4);
            v = FloatVector.fromArray(S, x, x5 + q);
            a5 = v.fma(g, a5); b5 = v.fma(h, b5);
            v = FloatVector.fromArray(S, x, x6 + q);
            a6 = v.fma(g, a6); b6 = v.fma(h, b6);
            v = FloatVector.fromArray(S, x, x7 + q);
            a7 = v.fma(g, a7); b7 = v.fma(h, b7);
            v = FloatVector.fromArray(S, x, x8 + q);
            a8 = v.fma(g, a8); b8 = v.fma(h, b8);
        }
        // Stored, then summed in plain floats: 18 calls of LaneMath.sum overran C2's inlining budget, and each call
        // out of line boxed its vector (about a quarter of the tile's time at ResNet's group of 3 samples, one thread).
        a0.intoArray(sums, 0); a1.intoArray(sums, L); a2.intoArray(sums, 2 * L);
        a3.intoArray(sums, 3 * L); a4.intoArray(sums, 4 * L); a5.intoArray(sums, 5 * L);
        a6.intoArray(sums, 6 * L); a7.intoArray(sums, 7 * L); a8.intoArray(sums, 8 * L);
        b0.intoArray(sums, 9 * L); b1.intoArray(sums, 10 * L); b2.intoArray(sums, 11 * L);
        b3.intoArray(sums, 12 * L); b4.intoArray(sums, 13 * L); b5.intoArray(sums, 14 * L);
        b6.intoArray(sums, 15 * L); b7.intoArray(sums, 16 * L); b8.intoArray(sums, 17 * L);
        addSums(sums, dw, w0, fstride);
    }

    /** Floats of {@link #accumulate}'s scratch for its sums. */
    static int sumsLength() { return 18 * L; }

    /**
     * Adds the 18 stored lane sums to dw, each reloaded and summed in registers with {@link LaneMath#sum}'s tree spelled
     * out (the same tree as {@link LaneMath#sumStored}, so the same bits). Spelled out because this runs inlined into
     * the tile, past C2's inlining budget: a call to LaneMath.sum there stayed out of line and boxed every vector
     * passed to it (5 GB of garbage in a 100-batch W4 run), while the Vector API's own methods are always inlined.
     * The in-memory tree of sumStored ran 15 dependent loads, adds and stores per sum, a third of the tile's own
     * time at a group of 3 ResNet samples (W4 profile: sumStored 2.9%, accumulate 9.6% of training).
     */
    private static void addSums(float[] sums, float[] dw, int w0, int fstride) {
        for (int t = 0; t < 18; t++) {
            FloatVector v = FloatVector.fromArray(S, sums, t * L);
            if (L >= 16) v = v.add(v.rearrange(LaneMath.ROT8));
            if (L >= 8) v = v.add(v.rearrange(LaneMath.ROT4));
            if (L >= 4) v = v.add(v.rearrange(LaneMath.ROT2));
            v = v.add(v.rearrange(LaneMath.ROT1));
            dw[t < 9 ? w0 + t : w0 + fstride + t - 9] += v.lane(0);
        }
    }
}
