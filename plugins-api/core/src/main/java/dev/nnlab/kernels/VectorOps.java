package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise operations, reductions and row-wise softmax on float arrays with offsets.
 * Every method has a scalar twin in {@link VectorOpsReference} that tests compare it against;
 * results differ from it by float rounding only (reductions sum in a different order, in float).
 *
 * <p>Each loop runs whole vectors of the species chosen by {@link VectorWidth}, then a scalar tail.
 * Reductions keep four independent accumulators: one accumulator would serialise on the 4-cycle
 * latency of the vector add, four keep both FP ports busy (and round less, like pairwise summation).
 *
 * <p>Stability: stable for plugin authors.
 */
public final class VectorOps {
    private VectorOps() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final boolean SCALAR = !VectorWidth.VECTORIZED;

    /** y += alpha * x */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (SCALAR) { VectorOpsReference.axpy(n, alpha, x, xOff, y, yOff); return; }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        if (SCALAR) return VectorOpsReference.dot(n, x, xOff, y, yOff);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
            s2 = FloatVector.fromArray(S, x, xOff + i + 2 * L).fma(FloatVector.fromArray(S, y, yOff + i + 2 * L), s2);
            s3 = FloatVector.fromArray(S, x, xOff + i + 3 * L).fma(FloatVector.fromArray(S, y, yOff + i + 3 * L), s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
        }
        float s = LaneMath.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    /** x *= alpha */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        if (SCALAR) { VectorOpsReference.scale(n, alpha, x, xOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) x[xOff + i] *= alpha;
    }

    /** z = x + y (z may alias x or y) */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (SCALAR) { VectorOpsReference.add(n, x, xOff, y, yOff, z, zOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
    }

    /** z = x * y (z may alias x or y) */
    public static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (SCALAR) { VectorOpsReference.mul(n, x, xOff, y, yOff, z, zOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(FloatVector.fromArray(S, y, yOff + i)).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = x[xOff + i] * y[yOff + i];
    }

    public static float sum(int n, float[] x, int xOff) {
        if (SCALAR) return VectorOpsReference.sum(n, x, xOff);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            s0 = s0.add(FloatVector.fromArray(S, x, xOff + i));
            s1 = s1.add(FloatVector.fromArray(S, x, xOff + i + L));
            s2 = s2.add(FloatVector.fromArray(S, x, xOff + i + 2 * L));
            s3 = s3.add(FloatVector.fromArray(S, x, xOff + i + 3 * L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) s0 = s0.add(FloatVector.fromArray(S, x, xOff + i));
        float s = LaneMath.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) s += x[xOff + i];
        return s;
    }

    public static float sumSquares(int n, float[] x, int xOff) {
        if (SCALAR) return VectorOpsReference.sumSquares(n, x, xOff);
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = n - 4 * L; i <= bound; i += 4 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xOff + i), v1 = FloatVector.fromArray(S, x, xOff + i + L);
            FloatVector v2 = FloatVector.fromArray(S, x, xOff + i + 2 * L), v3 = FloatVector.fromArray(S, x, xOff + i + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            s0 = v.fma(v, s0);
        }
        float s = LaneMath.sum(s0.add(s1).add(s2.add(s3)));
        for (; i < n; i++) s = Math.fma(x[xOff + i], x[xOff + i], s);
        return s;
    }

    public static float max(int n, float[] x, int xOff) {
        if (SCALAR) return VectorOpsReference.max(n, x, xOff);
        FloatVector m0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), m1 = m0;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            m0 = m0.max(FloatVector.fromArray(S, x, xOff + i));
            m1 = m1.max(FloatVector.fromArray(S, x, xOff + i + L));
        }
        for (int bound = S.loopBound(n); i < bound; i += L) m0 = m0.max(FloatVector.fromArray(S, x, xOff + i));
        float m = m0.max(m1).reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, x[xOff + i]);
        return m;
    }

    /** z = max(x + y, 0) (z may alias x or y): a residual sum and the ReLU after it, the bits of {@link #add} then {@link #relu}. */
    public static void addRelu(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        if (SCALAR) { VectorOpsReference.addRelu(n, x, xOff, y, yOff, z, zOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(FloatVector.fromArray(S, y, yOff + i)).max(0f).intoArray(z, zOff + i);
        }
        for (; i < n; i++) z[zOff + i] = Math.max(x[xOff + i] + y[yOff + i], 0f);
    }

    /** y = max(x, 0) */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        if (SCALAR) { VectorOpsReference.relu(n, x, xOff, y, yOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    /** dx = x > 0 ? dy : 0 ({@code x} is the forward input or output: both are positive on the same set) */
    public static void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        if (SCALAR) { VectorOpsReference.reluBackward(n, x, xOff, dy, dyOff, dx, dxOff); return; }
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            var positive = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            zero.blend(FloatVector.fromArray(S, dy, dyOff + i), positive).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    /**
     * Sets bit i of {@code bits} (bit {@code i & 63} of word {@code i >>> 6}) for every i < n with
     * {@code x[xOff + i] > 0}; other bits are left as they are, so calls over the rows of a batch OR
     * together. NaN is not positive. One vector compare per L values and one word OR per vector:
     * L is 4, 8 or 16, which divides 64, so the L bits of one vector never straddle two words.
     */
    public static void orPositiveBits(int n, float[] x, int xOff, long[] bits) {
        if (SCALAR) { VectorOpsReference.orPositiveBits(n, x, xOff, bits); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            long m = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f).toLong();
            if (m != 0) bits[i >>> 6] |= m << (i & 63);
        }
        for (; i < n; i++) if (x[xOff + i] > 0f) bits[i >>> 6] |= 1L << (i & 63);
    }

    /** True when some {@code x[xOff + i] > 0}, i < n (NaN is not positive); stops at the first vector holding one. */
    public static boolean anyPositive(int n, float[] x, int xOff) {
        if (SCALAR) return VectorOpsReference.anyPositive(n, x, xOff);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            if (FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f).anyTrue()) return true;
        }
        for (; i < n; i++) if (x[xOff + i] > 0f) return true;
        return false;
    }

    /** y[r, :] += v for every row r of the (rows, cols) matrix y: adding a bias. */
    public static void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) add(cols, y, yOff + r * cols, v, vOff, y, yOff + r * cols);
    }

    /** out[c] += sum over r of x[r, c]: the bias gradient. */
    public static void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) add(cols, out, outOff, x, xOff + r * cols, out, outOff);
    }

    /** y[r, :] = softmax(x[r, :]), shifted by the row max so large logits cannot overflow. y may alias x. */
    public static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        if (SCALAR) { VectorOpsReference.softmaxRows(rows, cols, x, xOff, y, yOff); return; }
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, yo = yOff + r * cols;
            float s = expShifted(cols, x, xo, max(cols, x, xo), y, yo);
            scale(cols, 1f / s, y, yo);
        }
    }

    /** out[r] = log(sum_c exp(x[r, c])), computed stably. */
    public static void logSumExpRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        if (SCALAR) { VectorOpsReference.logSumExpRows(rows, cols, x, xOff, out, outOff); return; }
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            float m = max(cols, x, xo);
            out[outOff + r] = (float) (m + Math.log(expShifted(cols, x, xo, m, null, 0)));
        }
    }

    /**
     * Returns sum_c exp(x[xo + c] - m), also storing each term in y when y is not null (y may alias x),
     * every term through {@link LaneMath#exp} (within about 1 ulp of Math.exp). The last partial vector
     * is one masked vector: a classifier's 10 classes at 16 lanes were 10 scalar Math.exp calls, about
     * a tenth of a softmax-regression step.
     */
    public static float expShifted(int cols, float[] x, int xo, float m, float[] y, int yo) {
        if (SCALAR) {
            float s = 0;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[xo + c] - m);
                if (y != null) y[yo + c] = e;
                s += e;
            }
            return s;
        }
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int c = 0;
        for (int bound = cols - 2 * L; c <= bound; c += 2 * L) {
            FloatVector e0 = LaneMath.exp(FloatVector.fromArray(S, x, xo + c).sub(vm));
            FloatVector e1 = LaneMath.exp(FloatVector.fromArray(S, x, xo + c + L).sub(vm));
            if (y != null) {
                e0.intoArray(y, yo + c);
                e1.intoArray(y, yo + c + L);
            }
            s0 = s0.add(e0);
            s1 = s1.add(e1);
        }
        for (int bound = S.loopBound(cols); c < bound; c += L) {
            FloatVector e = LaneMath.exp(FloatVector.fromArray(S, x, xo + c).sub(vm));
            if (y != null) e.intoArray(y, yo + c);
            s0 = s0.add(e);
        }
        if (c < cols) {
            VectorMask<Float> in = S.indexInRange(c, cols);
            // Lanes past the end read 0 and may overflow (0 - m); they are zeroed before the sum and never stored.
            FloatVector e = LaneMath.exp(FloatVector.fromArray(S, x, xo + c, in).sub(vm)).blend(0f, in.not());
            if (y != null) e.intoArray(y, yo + c, in);
            s1 = s1.add(e);
        }
        return LaneMath.sum(s0.add(s1));
    }
}
