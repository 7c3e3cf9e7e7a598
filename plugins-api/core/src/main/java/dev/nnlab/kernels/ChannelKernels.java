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

    /**
     * Floats summed in vector registers before a sum is taken across the lanes into a double: about the length
     * of a 32x32 run. Small runs (8x8 planes: 4 vectors) are summed several at a time, so the cross-lane sum
     * and the call are paid once per block rather than once per run; float rounding still grows over no more
     * than this many values per lane group.
     */
    static final int BLOCK_FLOATS = 1024;

    /**
     * {@code sum x} over {@code runs} runs of {@code len} values, run r starting at {@code off + r * stride}:
     * one channel of an {@code (N, C, S)} batch.
     */
    public static double sum(int runs, int len, int stride, float[] x, int off) {
        int per = Math.max(1, BLOCK_FLOATS / Math.max(1, len));
        double total = 0;
        for (int r0 = 0; r0 < runs; r0 += per) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0;
            float tail = 0;
            for (int r = r0, r1 = Math.min(runs, r0 + per); r < r1; r++) {
                int o = off + r * stride, i = 0;
                for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
                    s0 = s0.add(FloatVector.fromArray(S, x, o + i));
                    s1 = s1.add(FloatVector.fromArray(S, x, o + i + L));
                }
                for (int bound = len - L; i <= bound; i += L) s0 = s0.add(FloatVector.fromArray(S, x, o + i));
                for (; i < len; i++) tail += x[o + i];
            }
            total += (double) LaneMath.sum(s0.add(s1)) + tail;
        }
        return total;
    }

    /** {@code sum (x - mean)^2} over runs as {@link #sum(int, int, int, float[], int)} lays them out. */
    public static double sumSquaredDeviations(int runs, int len, int stride, float[] x, int off, float mean) {
        int per = Math.max(1, BLOCK_FLOATS / Math.max(1, len));
        FloatVector vm = FloatVector.broadcast(S, mean);
        double total = 0;
        for (int r0 = 0; r0 < runs; r0 += per) {
            FloatVector s0 = FloatVector.zero(S), s1 = s0;
            float tail = 0;
            for (int r = r0, r1 = Math.min(runs, r0 + per); r < r1; r++) {
                int o = off + r * stride, i = 0;
                for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
                    FloatVector d0 = FloatVector.fromArray(S, x, o + i).sub(vm), d1 = FloatVector.fromArray(S, x, o + i + L).sub(vm);
                    s0 = d0.fma(d0, s0);
                    s1 = d1.fma(d1, s1);
                }
                for (int bound = len - L; i <= bound; i += L) {
                    FloatVector d0 = FloatVector.fromArray(S, x, o + i).sub(vm);
                    s0 = d0.fma(d0, s0);
                }
                for (; i < len; i++) {
                    float d = x[o + i] - mean;
                    tail = Math.fma(d, d, tail);
                }
            }
            total += (double) LaneMath.sum(s0.add(s1)) + tail;
        }
        return total;
    }

    /**
     * Batch norm's two gradient sums over one channel in one pass: {@code out[0] = sum g},
     * {@code out[1] = sum g (x - mean)} (sum(dy xhat) times the std), runs laid out as in
     * {@link #sum(int, int, int, float[], int)}, the same offsets in g and x.
     */
    public static void gradientSums(int runs, int len, int stride, float[] g, int gOff, float[] x, int xOff, float mean, double[] out) {
        int per = Math.max(1, BLOCK_FLOATS / Math.max(1, len));
        FloatVector vm = FloatVector.broadcast(S, mean);
        double sumG = 0, sumGx = 0;
        for (int r0 = 0; r0 < runs; r0 += per) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0;
            float ta = 0, tb = 0;
            for (int r = r0, r1 = Math.min(runs, r0 + per); r < r1; r++) {
                int og = gOff + r * stride, ox = xOff + r * stride, i = 0;
                for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
                    FloatVector g0 = FloatVector.fromArray(S, g, og + i), g1 = FloatVector.fromArray(S, g, og + i + L);
                    a0 = a0.add(g0);
                    a1 = a1.add(g1);
                    b0 = FloatVector.fromArray(S, x, ox + i).sub(vm).fma(g0, b0);
                    b1 = FloatVector.fromArray(S, x, ox + i + L).sub(vm).fma(g1, b1);
                }
                for (int bound = len - L; i <= bound; i += L) {
                    FloatVector g0 = FloatVector.fromArray(S, g, og + i);
                    a0 = a0.add(g0);
                    b0 = FloatVector.fromArray(S, x, ox + i).sub(vm).fma(g0, b0);
                }
                for (; i < len; i++) {
                    ta += g[og + i];
                    tb = Math.fma(x[ox + i] - mean, g[og + i], tb);
                }
            }
            sumG += (double) LaneMath.sum(a0.add(a1)) + ta;
            sumGx += (double) LaneMath.sum(b0.add(b1)) + tb;
        }
        out[0] = sumG;
        out[1] = sumGx;
    }

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

    /*
     * Batch norm followed by a ReLU in one pass each way (BatchNorm#absorbRelu). Each kernel below is its plain
     * counterpart with the ReLU's own operations inlined: forward takes max(y, 0) as VectorOps.relu does, backward
     * reads the gradient through the mask y > 0 as VectorOps.reluBackward writes it (dy or +0), so a fused layer
     * gives the bits of the two layers.
     */

    /** {@link #normalize}, then {@code y[i] = max(y[i], 0)}. */
    public static void normalizeRelu(int n, float[] x, int xOff, float mean, float scale, float beta, float[] y, int yOff) {
        FloatVector vm = FloatVector.broadcast(S, mean), vs = FloatVector.broadcast(S, scale), vb = FloatVector.broadcast(S, beta);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).sub(vm).fma(vs, vb).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.max(Math.fma(x[xOff + i] - mean, scale, beta), 0f);
    }

    /** {@link #scaleShift}, then {@code y[i] = max(y[i], 0)}. */
    public static void scaleShiftRelu(int n, float[] x, int xOff, float scale, float shift, float[] y, int yOff) {
        FloatVector vs = FloatVector.broadcast(S, scale), vt = FloatVector.broadcast(S, shift);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(vs, vt).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.max(Math.fma(x[xOff + i], scale, shift), 0f);
    }

    /**
     * {@link #gradientSums(int, int, int, float[], int, float[], int, float, double[])} of the masked gradient
     * {@code y > 0 ? g : 0}, where {@code y = max((x - mean) scale + beta, 0)} is the output of
     * {@link #normalizeRelu} with these numbers. The mask is recomputed from x with the same fused multiply-add, so
     * it is the same bit for bit as reading y back, but the pass reads two activations instead of three (on
     * ResNet's 16 x 32x32 layers a channel of a batch is 512 kB per activation, beyond what L2 keeps for the
     * second pass).
     */
    public static void gradientSumsMasked(int runs, int len, int stride, float[] g, int gOff, float[] x, int xOff,
                                          float mean, float scale, float beta, double[] out) {
        int per = Math.max(1, BLOCK_FLOATS / Math.max(1, len));
        FloatVector vm = FloatVector.broadcast(S, mean), vs = FloatVector.broadcast(S, scale), vt = FloatVector.broadcast(S, beta);
        FloatVector zero = FloatVector.zero(S);
        double sumG = 0, sumGx = 0;
        for (int r0 = 0; r0 < runs; r0 += per) {
            FloatVector a0 = zero, a1 = a0, b0 = a0, b1 = a0;
            float ta = 0, tb = 0;
            for (int r = r0, r1 = Math.min(runs, r0 + per); r < r1; r++) {
                int og = gOff + r * stride, ox = xOff + r * stride, i = 0;
                for (int bound = len - 2 * L; i <= bound; i += 2 * L) {
                    FloatVector h0 = FloatVector.fromArray(S, x, ox + i).sub(vm), h1 = FloatVector.fromArray(S, x, ox + i + L).sub(vm);
                    FloatVector g0 = zero.blend(FloatVector.fromArray(S, g, og + i), h0.fma(vs, vt).compare(VectorOperators.GT, 0f));
                    FloatVector g1 = zero.blend(FloatVector.fromArray(S, g, og + i + L), h1.fma(vs, vt).compare(VectorOperators.GT, 0f));
                    a0 = a0.add(g0);
                    a1 = a1.add(g1);
                    b0 = h0.fma(g0, b0);
                    b1 = h1.fma(g1, b1);
                }
                for (int bound = len - L; i <= bound; i += L) {
                    FloatVector h0 = FloatVector.fromArray(S, x, ox + i).sub(vm);
                    FloatVector g0 = zero.blend(FloatVector.fromArray(S, g, og + i), h0.fma(vs, vt).compare(VectorOperators.GT, 0f));
                    a0 = a0.add(g0);
                    b0 = h0.fma(g0, b0);
                }
                for (; i < len; i++) {
                    float h = x[ox + i] - mean;
                    float gi = Math.fma(h, scale, beta) > 0f ? g[og + i] : 0f;
                    ta += gi;
                    tb = Math.fma(h, gi, tb);
                }
            }
            sumG += (double) LaneMath.sum(a0.add(a1)) + ta;
            sumGx += (double) LaneMath.sum(b0.add(b1)) + tb;
        }
        out[0] = sumG;
        out[1] = sumGx;
    }

    /**
     * {@link #combine} of the masked gradient {@code y > 0 ? g : 0}, {@code y = max((x - mean) scale + beta, 0)} as in
     * {@link #gradientSumsMasked}: the mask recomputed from x, y not read.
     */
    public static void combineMasked(int n, float a, float[] g, int gOff, float scale, float beta, float b, float[] x, int xOff,
                                     float mean, float c, float[] d, int dOff) {
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b), vc = FloatVector.broadcast(S, c);
        FloatVector vm = FloatVector.broadcast(S, mean), vs = FloatVector.broadcast(S, scale), vt = FloatVector.broadcast(S, beta);
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector h = FloatVector.fromArray(S, x, xOff + i).sub(vm);
            FloatVector gi = zero.blend(FloatVector.fromArray(S, g, gOff + i), h.fma(vs, vt).compare(VectorOperators.GT, 0f));
            gi.fma(va, h.fma(vb, vc)).intoArray(d, dOff + i);
        }
        for (; i < n; i++) {
            float h = x[xOff + i] - mean;
            d[dOff + i] = Math.fma(a, Math.fma(h, scale, beta) > 0f ? g[gOff + i] : 0f, Math.fma(b, h, c));
        }
    }
}
