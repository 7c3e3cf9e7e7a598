package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GradientTile2x9} with its sums reduced by vector transposes instead of a float at a time: on 16 lanes,
 * the 18 accumulators are halved pairwise (lanes i and i + 8 of two vectors into one vector, then i and i + 4
 * of those, ...), 19 adds of whole vectors and 38 two-vector rearranges for what {@link LaneMath#sumStored} does in 270
 * scalar adds. Each sum is the same tree of the same lanes (lane i plus lane i + h, h = 8, 4, 2, 1), so the bits are
 * {@link GradientTile2x9}'s. At the stride-2 layers of ResNet-20, where a call covers 80 to 120 vectors per sum, the
 * scalar reduction was about a third of the tile's time (JFR of W4: sumStored 0.7% against accumulate 1.6%).
 */
final class GradientTile2x9Transposed {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    /** Per level h = 8, 4, 2, 1: lane i takes lane {@code 2h (i / h) + i % h} (low) and that plus h (high) of two vectors. */
    private static final VectorShuffle<Float> LO8 = half(8, 0), HI8 = half(8, 8), LO4 = half(4, 0), HI4 = half(4, 4);
    private static final VectorShuffle<Float> LO2 = half(2, 0), HI2 = half(2, 2), LO1 = half(1, 0), HI1 = half(1, 1);

    private GradientTile2x9Transposed() {}

    /** Lanes of the second vector are exceptional indices, L below theirs (as fromOp wraps them). */
    private static VectorShuffle<Float> half(int h, int plus) {
        return VectorShuffle.fromOp(S, i -> (2 * h * (i / h) + i % h + plus) % (2 * L));
    }

    /** {@link GradientTile2x9#accumulate}: the same arguments and the same bits. */
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
        // Stored in the order the transposes take them (a0..a7, b0..b7, then a8, b8), then reduced out of line: as in
        // GradientTile2x9, vectors passed to a call that is not inlined would be boxed.
        a0.intoArray(sums, 0); a1.intoArray(sums, L); a2.intoArray(sums, 2 * L);
        a3.intoArray(sums, 3 * L); a4.intoArray(sums, 4 * L); a5.intoArray(sums, 5 * L);
        a6.intoArray(sums, 6 * L); a7.intoArray(sums, 7 * L); b0.intoArray(sums, 8 * L);
        b1.intoArray(sums, 9 * L); b2.intoArray(sums, 10 * L); b3.intoArray(sums, 11 * L);
        b4.intoArray(sums, 12 * L); b5.intoArray(sums, 13 * L); b6.intoArray(sums, 14 * L);
        b7.intoArray(sums, 15 * L); a8.intoArray(sums, 16 * L); b8.intoArray(sums, 17 * L);
        addSums(sums, dw, w0, fstride);
    }

    /** Floats of {@link #accumulate}'s scratch for its sums. */
    static int sumsLength() { return 18 * L; }

    private static void addSums(float[] sums, float[] dw, int w0, int fstride) {
        if (L != 16) {
            for (int t = 0; t < 9; t++) {
                dw[w0 + t] += LaneMath.sumStored(sums, (t < 8 ? t : 16) * L);
                dw[w0 + fstride + t] += LaneMath.sumStored(sums, (t < 8 ? 8 + t : 17) * L);
            }
            return;
        }
        // Vectors 2m and 2m + 1 halve into vector m, level after level; at the end lane t holds the sum of vector t.
        for (int m = 0; m < 8; m++) halve(sums, 2 * m, 2 * m + 1, m, LO8, HI8);
        for (int m = 0; m < 4; m++) halve(sums, 2 * m, 2 * m + 1, m, LO4, HI4);
        for (int m = 0; m < 2; m++) halve(sums, 2 * m, 2 * m + 1, m, LO2, HI2);
        halve(sums, 0, 1, 0, LO1, HI1);
        // a8 and b8 the same way, paired with themselves past the first level: their sums end in lanes 0 and 1.
        halve(sums, 16, 17, 16, LO8, HI8);
        halve(sums, 16, 16, 16, LO4, HI4);
        halve(sums, 16, 16, 16, LO2, HI2);
        halve(sums, 16, 16, 16, LO1, HI1);
        for (int t = 0; t < 8; t++) {
            dw[w0 + t] += sums[t];
            dw[w0 + fstride + t] += sums[8 + t];
        }
        dw[w0 + 8] += sums[16 * L];
        dw[w0 + fstride + 8] += sums[16 * L + 1];
    }

    private static void halve(float[] sums, int first, int second, int to, VectorShuffle<Float> lo, VectorShuffle<Float> hi) {
        FloatVector u = FloatVector.fromArray(S, sums, first * L), v = FloatVector.fromArray(S, sums, second * L);
        u.rearrange(lo, v).add(u.rearrange(hi, v)).intoArray(sums, to * L);
    }
}
