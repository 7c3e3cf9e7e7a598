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

    /**
     * {@code y[i] = (x[i] - mean) * scale + beta}: batch norm's output with {@code scale = gamma / std}. The
     * mean comes off first, so a channel whose mean is large against its spread keeps its digits.
     */
    public static void normalize(int n, float[] x, int xOff, float mean, float scale, float beta, float[] y, int yOff) {
        FloatVector vm = FloatVector.broadcast(S, mean), vs = FloatVector.broadcast(S, scale), vb = FloatVector.broadcast(S, beta);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(vm).fma(vs, vb).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(x[xOff + i] - mean, scale, beta);
    }

    /** {@code sum_i g[i] (x[i] - mean)}: batch norm's {@code sum(dy xhat)} times the channel's std. */
    public static float centeredDot(int n, float[] g, int gOff, float[] x, int xOff, float mean) {
        FloatVector vm = FloatVector.broadcast(S, mean), s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).sub(vm).fma(FloatVector.fromArray(S, g, gOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).sub(vm).fma(FloatVector.fromArray(S, g, gOff + i + L), s1);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).sub(vm).fma(FloatVector.fromArray(S, g, gOff + i), s0);
        }
        float s = LaneMath.sum(s0.add(s1));
        for (; i < n; i++) s = Math.fma(x[xOff + i] - mean, g[gOff + i], s);
        return s;
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

    /**
     * {@code d[i] = a * g[i] + b * (x[i] - mean) + c}: batch norm's input gradient with its per-channel
     * constants, xhat recomputed from the input rather than kept (b carries the 1 / std).
     */
    public static void combine(int n, float a, float[] g, int gOff, float b, float[] x, int xOff, float mean, float c,
                               float[] d, int dOff) {
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b), vc = FloatVector.broadcast(S, c);
        FloatVector vm = FloatVector.broadcast(S, mean);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, xOff + i).sub(vm);
            FloatVector.fromArray(S, g, gOff + i).fma(va, h.fma(vb, vc)).intoArray(d, dOff + i);
        }
        for (; i < n; i++) d[dOff + i] = Math.fma(a, g[gOff + i], Math.fma(b, x[xOff + i] - mean, c));
    }
}
