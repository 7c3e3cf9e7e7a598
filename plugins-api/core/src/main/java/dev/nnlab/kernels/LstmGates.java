package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The LSTM's per-step gate math for one sample, as a few vector passes over its H units that stay in L1
 * (gates in PyTorch's order i, f, g, o, each a block of H pre-activations):
 * <pre>
 *   i, f, o = sigmoid(a_i, a_f, a_o)   g = tanh(a_g)   c = f c' + i g   h = o tanh(c)
 * </pre>
 * and its backward. exp and tanh are {@link LaneMath}'s (within 2 ulp of Math.exp and Math.tanh); sigmoid
 * is {@code 1 / (1 + exp(-a))}, which saturates to 1 and to 0 without NaN (exp overflows to infinity).
 * {@link LstmGatesReference} is the scalar twin (double precision, Math.exp and Math.tanh) the tests
 * compare against, and what runs when vectors are off; the forward's row tails run masked, the
 * backward's in the twin.
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
        if (SCALAR) {
            LstmGatesReference.forward(0, h, a, ga, c0, co, tc, to, y, yo, s, sh, sc);
            return;
        }
        // One small loop per gate block, then the cell: with all four activations and tanh(c) in one loop
        // body C2 hit its node limit (NodeCountInliningCutoff), called LaneMath.tanh and sigmoid out of line
        // with boxed vectors, and ran their blends as the Vector API's Java fallback (44 us a W5 step of 20
        // rows of 200, against 3 us for the backward). A row's tail runs masked, not in the scalar twin:
        // 200 units leave 8 of 16 lanes, and 8 units in double with Math.exp and Math.tanh took 16 of those 44 us.
        sigmoids(a, ga, 2 * h); // i and f lie one after the other
        tanhs(a, ga + 2 * h, h);
        sigmoids(a, ga + 3 * h, h);
        cells(h, a, ga, c0, co, tc, to, y, yo, s, sh, sc);
    }

    /** {@code a[off..off + n) = sigmoid(a[off..off + n))}. */
    private static void sigmoids(float[] a, int off, int n) {
        FloatVector one = FloatVector.broadcast(S, 1f);
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) sigmoid(FloatVector.fromArray(S, a, off + j), one).intoArray(a, off + j);
        if (j < n) sigmoidTail(a, off + j, n - j);
    }

    // The masked tails are methods of their own: inlined next to the loop they took C2 past its node limit again.

    private static void sigmoidTail(float[] a, int off, int n) {
        VectorMask<Float> m = S.indexInRange(0, n);
        sigmoid(FloatVector.fromArray(S, a, off, m), FloatVector.broadcast(S, 1f)).intoArray(a, off, m);
    }

    /** {@code a[off..off + n) = tanh(a[off..off + n))}. */
    private static void tanhs(float[] a, int off, int n) {
        int j = 0;
        for (int bound = S.loopBound(n); j < bound; j += L) LaneMath.tanh(FloatVector.fromArray(S, a, off + j)).intoArray(a, off + j);
        if (j < n) tanhTail(a, off + j, n - j);
    }

    private static void tanhTail(float[] a, int off, int n) {
        VectorMask<Float> m = S.indexInRange(0, n);
        LaneMath.tanh(FloatVector.fromArray(S, a, off, m)).intoArray(a, off, m);
    }

    /** The cell and hidden update of the h units from the activated gates. */
    private static void cells(int h, float[] a, int ga, float[] c0, int co, float[] tc, int to, float[] y, int yo,
                              float[] s, int sh, int sc) {
        int j = 0;
        for (int bound = S.loopBound(h); j < bound; j += L) {
            FloatVector i = FloatVector.fromArray(S, a, ga + j);
            FloatVector f = FloatVector.fromArray(S, a, ga + h + j);
            FloatVector u = FloatVector.fromArray(S, a, ga + 2 * h + j);
            FloatVector o = FloatVector.fromArray(S, a, ga + 3 * h + j);
            FloatVector c = f.fma(FloatVector.fromArray(S, c0, co + j), i.mul(u));
            FloatVector th = LaneMath.tanh(c);
            th.intoArray(tc, to + j);
            FloatVector hv = o.mul(th);
            hv.intoArray(y, yo + j);
            hv.intoArray(s, sh + j);
            c.intoArray(s, sc + j);
        }
        if (j < h) cellTail(j, h, a, ga, c0, co, tc, to, y, yo, s, sh, sc);
    }

    private static void cellTail(int j, int h, float[] a, int ga, float[] c0, int co, float[] tc, int to, float[] y, int yo,
                             float[] s, int sh, int sc) {
        VectorMask<Float> m = S.indexInRange(j, h);
        FloatVector i = FloatVector.fromArray(S, a, ga + j, m);
        FloatVector f = FloatVector.fromArray(S, a, ga + h + j, m);
        FloatVector u = FloatVector.fromArray(S, a, ga + 2 * h + j, m);
        FloatVector o = FloatVector.fromArray(S, a, ga + 3 * h + j, m);
        FloatVector c = f.fma(FloatVector.fromArray(S, c0, co + j, m), i.mul(u));
        FloatVector th = LaneMath.tanh(c);
        th.intoArray(tc, to + j, m);
        FloatVector hv = o.mul(th);
        hv.intoArray(y, yo + j, m);
        hv.intoArray(s, sh + j, m);
        c.intoArray(s, sc + j, m);
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
