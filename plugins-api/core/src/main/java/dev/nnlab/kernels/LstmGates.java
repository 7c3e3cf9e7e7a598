package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM's per-step gate math for one sample, as one fused pass over its H units (gates in
 * PyTorch's order i, f, g, o, each a block of H pre-activations):
 * <pre>
 *   i, f, o = sigmoid(a_i, a_f, a_o)   g = tanh(a_g)   c = f c' + i g   h = o tanh(c)
 * </pre>
 * and its backward. The Vector API's EXP and TANH are SVML intrinsics on x86 (within a few ulp of
 * Math.exp and Math.tanh); sigmoid is {@code 1 / (1 + exp(-a))}, which saturates to 1 and to 0 without NaN (exp overflows to infinity).
 * {@link LstmGatesReference} is the scalar twin (double precision, Math.exp and Math.tanh) the tests
 * compare against, and what runs when vectors are off; the tail of each row runs it too.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class LstmGates {
    private LstmGates() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final boolean SCALAR = !VectorWidth.VECTORIZED;

    /**
     * Activates the gates at {@code a[ga ..ga + 4h)} in place, reads the previous cell at
     * {@code c0[co..co + h)} and writes tanh(c) to {@code tc[to..]}, h to {@code y[yo..]} and to
     * {@code s[sh..]}, and c to {@code s[sc..]} (the next step's state).
     */
    public static void forward(int h, float[] a, int ga, float[] c0, int co, float[] tc, int to, float[] y, int yo,
                               float[] s, int sh, int sc) {
        int j = 0;
        if (!SCALAR) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int bound = S.loopBound(h); j < bound; j += L) {
                FloatVector i = sigmoid(FloatVector.fromArray(S, a, ga + j), one);
                FloatVector f = sigmoid(FloatVector.fromArray(S, a, ga + h + j), one);
                FloatVector u = LaneMath.tanh(FloatVector.fromArray(S, a, ga + 2 * h + j));
                FloatVector o = sigmoid(FloatVector.fromArray(S, a, ga + 3 * h + j), one);
                i.intoArray(a, ga + j);
                f.intoArray(a, ga + h + j);
                u.intoArray(a, ga + 2 * h + j);
                o.intoArray(a, ga + 3 * h + j);
                FloatVector c = f.fma(FloatVector.fromArray(S, c0, co + j), i.mul(u));
                FloatVector th = LaneMath.tanh(c);
                th.intoArray(tc, to + j);
                FloatVector hv = o.mul(th);
                hv.intoArray(y, yo + j);
                hv.intoArray(s, sh + j);
                c.intoArray(s, sc + j);
            }
        }
        LstmGatesReference.forward(j, h, a, ga, c0, co, tc, to, y, yo, s, sh, sc);
    }

    /**
     * The backward of {@link #forward} for one sample: with the activated gates at {@code a[ga..]}, the
     * previous cell at {@code c0[co..]} and tanh(c) at {@code tc[to..]}, dL/dh = {@code dy[dyo..] + ds[dh..]}
     * and dL/dc from the next step at {@code ds[dc..]}, writes the pre-activation gradients to
     * {@code g[gd..gd + 4h)}, dL/dc' to {@code ds[dc..]} and zero to {@code ds[dh..]} (the recurrent
     * product adds dL/dh' there next). Returns the sum of squares of dL/dh.
     */
    public static double backward(int h, float[] a, int ga, float[] c0, int co, float[] tc, int to, float[] dy, int dyo,
                                  float[] ds, int dh, int dc, float[] g, int gd) {
        int j = 0;
        double norm = 0;
        if (!SCALAR) {
            FloatVector one = FloatVector.broadcast(S, 1f), zero = FloatVector.zero(S), sq = zero;
            for (int bound = S.loopBound(h); j < bound; j += L) {
                FloatVector d = FloatVector.fromArray(S, dy, dyo + j).add(FloatVector.fromArray(S, ds, dh + j));
                sq = d.fma(d, sq);
                FloatVector i = FloatVector.fromArray(S, a, ga + j), f = FloatVector.fromArray(S, a, ga + h + j);
                FloatVector u = FloatVector.fromArray(S, a, ga + 2 * h + j), o = FloatVector.fromArray(S, a, ga + 3 * h + j);
                FloatVector th = FloatVector.fromArray(S, tc, to + j);
                FloatVector c = d.mul(o).fma(one.sub(th.mul(th)), FloatVector.fromArray(S, ds, dc + j));
                c.mul(u).mul(i.mul(one.sub(i))).intoArray(g, gd + j);
                c.mul(FloatVector.fromArray(S, c0, co + j)).mul(f.mul(one.sub(f))).intoArray(g, gd + h + j);
                c.mul(i).mul(one.sub(u.mul(u))).intoArray(g, gd + 2 * h + j);
                d.mul(th).mul(o.mul(one.sub(o))).intoArray(g, gd + 3 * h + j);
                zero.intoArray(ds, dh + j);
                c.mul(f).intoArray(ds, dc + j);
            }
            for (int k = 0; k < L; k++) norm += sq.lane(k);
        }
        return norm + LstmGatesReference.backward(j, h, a, ga, c0, co, tc, to, dy, dyo, ds, dh, dc, g, gd);
    }

    private static FloatVector sigmoid(FloatVector v, FloatVector one) {
        return one.div(one.add(LaneMath.exp(v.neg())));
    }
}
