package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element passes of per-channel normalisation (batch norm over one channel's run of pixels),
 * each one SIMD loop over a contiguous run with a scalar tail. {@link ChannelKernelsReference} holds
 * the same passes in plain loops, against which they are tested.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class ChannelKernels {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();

    private ChannelKernels() {}

    /** {@code sum_i (x[i] - mean)^2}. */
    public static float sumSquaredDeviations(int n, float[] x, int xOff, float mean) {
        FloatVector vm = FloatVector.broadcast(S, mean), s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, xOff + i).sub(vm);
            FloatVector d1 = FloatVector.fromArray(S, x, xOff + i + L).sub(vm);
            s0 = d0.fma(d0, s0);
            s1 = d1.fma(d1, s1);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d0 = FloatVector.fromArray(S, x, xOff + i).sub(vm);
            s0 = d0.fma(d0, s0);
        }
        float s = LaneMath.sum(s0.add(s1));
        for (; i < n; i++) {
            float d = x[xOff + i] - mean;
            s = Math.fma(d, d, s);
        }
        return s;
    }

    /** {@code xhat[i] = (x[i] - mean) * inv; y[i] = gamma * xhat[i] + beta}. */
    public static void normalize(int n, float[] x, int xOff, float mean, float inv, float gamma, float beta,
                                 float[] xhat, int xhatOff, float[] y, int yOff) {
        FloatVector vm = FloatVector.broadcast(S, mean), vi = FloatVector.broadcast(S, inv);
        FloatVector vg = FloatVector.broadcast(S, gamma), vb = FloatVector.broadcast(S, beta);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, xOff + i).sub(vm).mul(vi);
            h.intoArray(xhat, xhatOff + i);
            h.fma(vg, vb).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float h = (x[xOff + i] - mean) * inv;
            xhat[xhatOff + i] = h;
            y[yOff + i] = Math.fma(h, gamma, beta);
        }
    }

    /** {@code y[i] = x[i] * scale + shift}. */
    public static void scaleShift(int n, float[] x, int xOff, float scale, float shift, float[] y, int yOff) {
        FloatVector vs = FloatVector.broadcast(S, scale), vt = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(vs, vt).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i], scale, shift);
    }

    /** {@code d[i] = a * g[i] + b * h[i] + c}: batch norm's input gradient with its per-channel constants. */
    public static void combine(int n, float a, float[] g, int gOff, float b, float[] h, int hOff, float c, float[] d, int dOff) {
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b), vc = FloatVector.broadcast(S, c);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, g, gOff + i).fma(va, FloatVector.fromArray(S, h, hOff + i).fma(vb, vc)).intoArray(d, dOff + i);
        }
        for (; i < n; i++) d[dOff + i] = Math.fma(a, g[gOff + i], Math.fma(b, h[hOff + i], c));
    }
}
