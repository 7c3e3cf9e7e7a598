package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The lane sum, {@code exp} and {@code tanh} of float vectors, built only from operations whose
 * results IEEE 754 fixes to the bit (add, multiply, fused multiply-add, divide, lane moves), so that
 * they give the same bits whether a method runs in the interpreter, in C1 or in C2.
 *
 * <p>Why: the Vector API's own {@code reduceLanes(ADD)} sums the lanes in lane order when it runs in
 * Java (interpreter, C1) but in a tree order when C2 compiles it to SIMD instructions, and its
 * {@code lanewise(EXP)} / {@code lanewise(TANH)} call {@code Math.exp}/{@code Math.tanh} per lane in
 * Java but a SIMD math library (SVML) in C2; both differ in the last bits. A run's values then
 * depended on when the JIT compiled a kernel: the same trial in a fresh JVM (a new cluster worker)
 * and in a warm one parted at the 7th digit after a few dozen steps. With these, a run's values
 * depend only on its seed, its data and its thread count.
 *
 * <p>{@code exp} is Cephes' {@code expf} (range reduction by n ln 2 in two parts, a degree-5
 * polynomial, scaling by 2^n in two steps so that results down to the subnormals are right), within
 * 2 ulp of {@code Math.exp} over the float range; {@code tanh} is Cephes' {@code tanhf} (an odd
 * polynomial below 0.625, {@code 1 - 2/(e^2x + 1)} above), within 2 ulp of {@code Math.tanh}.
 */
final class LaneMath {
    private LaneMath() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    // Rotations by half, a quarter, ... of the lanes: static final, so C2 sees constant shuffles. Package-private for
    // kernels that spell the tree out where a call to sum would not be inlined (GradientTile2x9).
    static final VectorShuffle<Float> ROT8 = rotation(8), ROT4 = rotation(4), ROT2 = rotation(2), ROT1 = rotation(1);

    private static VectorShuffle<Float> rotation(int k) {
        return VectorShuffle.fromOp(S, i -> (i + k) % L);
    }

    /**
     * {@link #sum} of a vector stored at {@code a[off, off + L)}, in plain floats: the same tree, so the same bits (for
     * {@code L >= 2}). Overwrites those floats. For kernels with many accumulators, where the 18th call of
     * {@link #sum} is past C2's inlining budget: an out-of-line call boxes the vector it is passed (an allocation per
     * call), while storing the vectors and summing here needs neither.
     */
    static float sumStored(float[] a, int off) {
        for (int h = L / 2; h >= 1; h /= 2) {
            for (int i = off; i < off + h; i++) a[i] += a[i + h];
        }
        return a[off];
    }

    /**
     * The sum of the lanes in a fixed tree order: lane i plus lane i + L/2, then the halves of that,
     * and so on (((v0 + v4) + (v2 + v6)) + ((v1 + v5) + (v3 + v7)) for 8 lanes).
     */
    static float sum(FloatVector v) {
        if (L >= 16) v = v.add(v.rearrange(ROT8));
        if (L >= 8) v = v.add(v.rearrange(ROT4));
        if (L >= 4) v = v.add(v.rearrange(ROT2));
        v = v.add(v.rearrange(ROT1));
        return v.lane(0);
    }

    /** The same tree sum of an array of one vector's lanes, for tests. */
    static float sumReference(float[] lanes) {
        float[] v = lanes.clone();
        for (int h = v.length / 2; h >= 1; h /= 2) {
            float[] next = new float[v.length];
            for (int i = 0; i < v.length; i++) next[i] = v[i] + v[(i + h) % v.length];
            v = next;
        }
        return v[0];
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    // 1.5 * 2^23: adding and subtracting it rounds a float of magnitude < 2^22 to the nearest integer.
    private static final float ROUND = 12582912f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /** e^x per lane: +inf above 88.72, 0 (through the subnormals) below -103.9, NaN for NaN. */
    static FloatVector exp(FloatVector x) {
        // Past these e^x is inf or 0 anyway; clamping keeps 2^n within two normal factors.
        FloatVector c = x.max(-104f).min(89f);
        FloatVector n = c.mul(LOG2E).add(ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), c);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(E0, E1);
        p = p.fma(r, FloatVector.broadcast(S, E2));
        p = p.fma(r, FloatVector.broadcast(S, E3));
        p = p.fma(r, FloatVector.broadcast(S, E4));
        p = p.fma(r, FloatVector.broadcast(S, E5));
        FloatVector y = p.mul(r.mul(r)).add(r).add(1f);
        // 2^n as two factors 2^(n/2) and 2^(n - n/2), each a normal float for n in [-150, 128].
        IntVector ni = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
        IntVector n2 = ni.sub(n1);
        FloatVector s1 = n1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = n2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(s1).mul(s2);
    }

    /** ln of the smallest normal float: below it {@link #expNonPositive} returns 0. */
    static final float EXP_NON_POSITIVE_MIN = -87.33654f;

    /**
     * e^x per lane for the x <= 0 of a softmax ({@code x - max}): {@link #exp}'s range reduction and
     * polynomial without its clamps and two-step scaling, so about 17 instructions instead of 30 (the
     * clamps are Java's NaN-aware max and min, several instructions each on x86). Within 2 ulp of
     * {@code Math.exp} on [{@value #EXP_NON_POSITIVE_MIN}, 0]; 0 below (where e^x is under the smallest
     * normal float, 1.2e-38: the subnormal tail is dropped); NaN for NaN. Positive x is outside its
     * contract (correct up to x = 88.37, garbage beyond).
     */
    static FloatVector expNonPositive(FloatVector x) {
        // t = x log2(e) + 1.5 * 2^23 rounds x log2(e) to the integer n held in t's low mantissa bits.
        FloatVector t = x.fma(LOG2E, ROUND);
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(E0, E1);
        p = p.fma(r, FloatVector.broadcast(S, E2));
        p = p.fma(r, FloatVector.broadcast(S, E3));
        p = p.fma(r, FloatVector.broadcast(S, E4));
        p = p.fma(r, FloatVector.broadcast(S, E5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n from t's bits, 0x4B400000 + n: shifted left by 23 the 0x4B400000 part leaves the int, so
        // (bits + 127) << 23 is the float with exponent field n + 127, in [1, 127] for n in [-126, 0].
        FloatVector scale = ((IntVector) t.reinterpretAsInts()).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        // x < min also covers -inf, whose reduction above is NaN.
        return y.mul(scale).blend(0f, x.compare(VectorOperators.LT, EXP_NON_POSITIVE_MIN));
    }

    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    /** tanh(x) per lane. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(a.add(a)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.fma(T0, T1);
        p = p.fma(z, FloatVector.broadcast(S, T2));
        p = p.fma(z, FloatVector.broadcast(S, T3));
        p = p.fma(z, FloatVector.broadcast(S, T4));
        // x + x z p rounds -0 to +0; tanh(-0) is -0.
        FloatVector small = p.mul(z).mul(x).add(x).blend(x, x.compare(VectorOperators.EQ, 0f));
        return big.blend(small, a.compare(VectorOperators.LT, 0.625f));
    }
}
