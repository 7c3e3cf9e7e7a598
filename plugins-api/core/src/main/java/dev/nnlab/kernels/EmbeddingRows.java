package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two inner kernels of word2vec, on embedding rows stored back to back in one {@code float[]}:
 * a dot product of two rows, and the fused negative-sampling update {@code work += g * out;
 * out += g * in} that reads {@code out} once instead of twice (gensim makes one BLAS call for each
 * half). Each has a scalar twin in {@link EmbeddingRowsReference}.
 *
 * <p>Rows padded to {@link #paddedLength} floats run whole vectors only: no scalar tail, no mask
 * (masked loads are slow, see kernels-next.md). Padding lanes hold zeros and stay zero, because
 * every update adds a multiple of another row's padding. Unpadded lengths still work: the tail is
 * scalar.
 *
 * <p>Stability: evolving.
 */
public final class EmbeddingRows {
    private EmbeddingRows() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final boolean SCALAR = !VectorWidth.VECTORIZED;

    /** {@code dim} rounded up to a whole number of vectors of the chosen width (at least one lane). */
    public static int paddedLength(int dim) {
        if (dim < 1) throw new IllegalArgumentException("an embedding row needs at least 1 float, got " + dim);
        int lanes = SCALAR ? 1 : L;
        return (dim + lanes - 1) / lanes * lanes;
    }

    /** Sum of {@code x[xOff + i] * y[yOff + i]} for {@code i < n}. */
    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        if (SCALAR) return EmbeddingRowsReference.dot(n, x, xOff, y, yOff);
        // Two accumulators: a 100-float row is only 7-13 vectors, more would mostly sit idle.
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (int bound = n - 2 * L; i <= bound; i += 2 * L) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            s1 = FloatVector.fromArray(S, x, xOff + i + L).fma(FloatVector.fromArray(S, y, yOff + i + L), s1);
        }
        if (i + L <= n) {
            s0 = FloatVector.fromArray(S, x, xOff + i).fma(FloatVector.fromArray(S, y, yOff + i), s0);
            i += L;
        }
        float s = LaneMath.sum(s0.add(s1));
        for (; i < n; i++) s = Math.fma(x[xOff + i], y[yOff + i], s);
        return s;
    }

    /**
     * {@code work += g * out; out += g * in}, element by element, with the old {@code out} in the
     * first: the update of one (input, target) pair of negative sampling or hierarchical softmax.
     */
    public static void accumulateAndUpdate(int n, float g, float[] in, int inOff, float[] out, int outOff, float[] work, int workOff) {
        if (SCALAR) { EmbeddingRowsReference.accumulateAndUpdate(n, g, in, inOff, out, outOff, work, workOff); return; }
        FloatVector vg = FloatVector.broadcast(S, g);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector o = FloatVector.fromArray(S, out, outOff + i);
            o.fma(vg, FloatVector.fromArray(S, work, workOff + i)).intoArray(work, workOff + i);
            FloatVector.fromArray(S, in, inOff + i).fma(vg, o).intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float o = out[outOff + i];
            work[workOff + i] = Math.fma(g, o, work[workOff + i]);
            out[outOff + i] = Math.fma(g, in[inOff + i], o);
        }
    }

    /**
     * {@code work = sum over r < count of g[r] * out[rows[r]..]} (the old rows, summed in order of
     * {@code r}), then {@code out[rows[r]..] += g[r] * in}: {@link #accumulateAndUpdate} for all of a
     * centre word's outputs in one pass, {@code work} written once instead of zeroed and then loaded
     * and stored once per row. The rows must be distinct (a row given twice would see its first
     * update); with {@code count == 0}, {@code work} becomes zero.
     */
    public static void accumulateAndUpdateRows(int n, float[] g, int count, float[] in, int inOff, float[] out, int[] rows,
                                               float[] work, int workOff) {
        if (SCALAR) { EmbeddingRowsReference.accumulateAndUpdateRows(n, g, count, in, inOff, out, rows, work, workOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector vin = FloatVector.fromArray(S, in, inOff + i);
            FloatVector acc = FloatVector.zero(S);
            for (int r = 0; r < count; r++) {
                FloatVector vg = FloatVector.broadcast(S, g[r]);
                FloatVector o = FloatVector.fromArray(S, out, rows[r] + i);
                acc = o.fma(vg, acc);
                vin.fma(vg, o).intoArray(out, rows[r] + i);
            }
            acc.intoArray(work, workOff + i);
        }
        for (; i < n; i++) {
            float acc = 0, v = in[inOff + i];
            for (int r = 0; r < count; r++) {
                float o = out[rows[r] + i];
                acc = Math.fma(g[r], o, acc);
                out[rows[r] + i] = Math.fma(g[r], v, o);
            }
            work[workOff + i] = acc;
        }
    }

    /** {@code y += alpha * x} on a row. */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        if (SCALAR) { EmbeddingRowsReference.axpy(n, alpha, x, xOff, y, yOff); return; }
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
    }

    /**
     * {@code y = scale * (x[rows[0]..] + ... + x[rows[count-1]..])}: CBOW's context mean in one pass,
     * each vector of {@code y} summed in a register from the rows at offsets {@code rows[0..count)}
     * and stored once (a loop of axpy calls would load and store {@code y} once per row).
     */
    public static void scaledSum(int n, float scale, float[] x, int[] rows, int count, float[] y, int yOff) {
        if (SCALAR) { EmbeddingRowsReference.scaledSum(n, scale, x, rows, count, y, yOff); return; }
        if (count == 0) {
            java.util.Arrays.fill(y, yOff, yOff + n, 0);
            return;
        }
        FloatVector vs = FloatVector.broadcast(S, scale);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector sum = FloatVector.fromArray(S, x, rows[0] + i);
            for (int r = 1; r < count; r++) sum = sum.add(FloatVector.fromArray(S, x, rows[r] + i));
            sum.mul(vs).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float sum = x[rows[0] + i];
            for (int r = 1; r < count; r++) sum += x[rows[r] + i];
            y[yOff + i] = sum * scale;
        }
    }

    /**
     * {@code y[rows[r]..] += x} for every {@code r < count}: one error row added to each context row
     * (CBOW's input update), {@code x} loaded once per vector instead of once per row.
     */
    public static void addToRows(int n, float[] x, int xOff, float[] y, int[] rows, int count) {
        if (SCALAR) { EmbeddingRowsReference.addToRows(n, x, xOff, y, rows, count); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            for (int r = 0; r < count; r++) v.add(FloatVector.fromArray(S, y, rows[r] + i)).intoArray(y, rows[r] + i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            for (int r = 0; r < count; r++) y[rows[r] + i] += v;
        }
    }

    /**
     * {@code dots[r] = dot(x[xOff..], y[rows[r]..])} for {@code r < count}: one input against several
     * output rows (a centre word's target and negatives), four rows at a time, so that the loads of
     * four rows that are likely cache misses are in flight together and each vector of {@code x} is
     * loaded once per four rows. Row by row, a dot waits for its row before the next one starts.
     */
    public static void dots(int n, float[] x, int xOff, float[] y, int[] rows, int count, float[] dots) {
        if (SCALAR) { EmbeddingRowsReference.dots(n, x, xOff, y, rows, count, dots); return; }
        int r = 0;
        for (; r + 4 <= count; r += 4) {
            int r0 = rows[r], r1 = rows[r + 1], r2 = rows[r + 2], r3 = rows[r + 3];
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                s0 = v.fma(FloatVector.fromArray(S, y, r0 + i), s0);
                s1 = v.fma(FloatVector.fromArray(S, y, r1 + i), s1);
                s2 = v.fma(FloatVector.fromArray(S, y, r2 + i), s2);
                s3 = v.fma(FloatVector.fromArray(S, y, r3 + i), s3);
            }
            float d0 = LaneMath.sum(s0), d1 = LaneMath.sum(s1);
            float d2 = LaneMath.sum(s2), d3 = LaneMath.sum(s3);
            for (; i < n; i++) {
                float v = x[xOff + i];
                d0 = Math.fma(v, y[r0 + i], d0);
                d1 = Math.fma(v, y[r1 + i], d1);
                d2 = Math.fma(v, y[r2 + i], d2);
                d3 = Math.fma(v, y[r3 + i], d3);
            }
            dots[r] = d0;
            dots[r + 1] = d1;
            dots[r + 2] = d2;
            dots[r + 3] = d3;
        }
        if (r + 2 <= count) {
            int r0 = rows[r], r1 = rows[r + 1];
            FloatVector s0 = FloatVector.zero(S), s1 = s0;
            int i = 0;
            for (int bound = S.loopBound(n); i < bound; i += L) {
                FloatVector v = FloatVector.fromArray(S, x, xOff + i);
                s0 = v.fma(FloatVector.fromArray(S, y, r0 + i), s0);
                s1 = v.fma(FloatVector.fromArray(S, y, r1 + i), s1);
            }
            float d0 = LaneMath.sum(s0), d1 = LaneMath.sum(s1);
            for (; i < n; i++) {
                float v = x[xOff + i];
                d0 = Math.fma(v, y[r0 + i], d0);
                d1 = Math.fma(v, y[r1 + i], d1);
            }
            dots[r] = d0;
            dots[r + 1] = d1;
            r += 2;
        }
        if (r < count) dots[r] = dot(n, x, xOff, y, rows[r]);
    }

    /**
     * {@code y += sum over r < count of coef[coefOff + r * coefStride] * x[rows[r]..]}: a row updated
     * from several rows (skip-gram's block: an output row from every context row, a context's
     * gradient from every output row), the vectors of {@code y} loaded and stored once instead of
     * once per row.
     */
    public static void addScaledRows(int n, float[] coef, int coefOff, int coefStride, float[] x, int[] rows, int count,
                                     float[] y, int yOff) {
        if (SCALAR) { EmbeddingRowsReference.addScaledRows(n, coef, coefOff, coefStride, x, rows, count, y, yOff); return; }
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector acc = FloatVector.fromArray(S, y, yOff + i);
            for (int r = 0; r < count; r++) {
                acc = FloatVector.fromArray(S, x, rows[r] + i).fma(FloatVector.broadcast(S, coef[coefOff + r * coefStride]), acc);
            }
            acc.intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            float acc = y[yOff + i];
            for (int r = 0; r < count; r++) acc = Math.fma(coef[coefOff + r * coefStride], x[rows[r] + i], acc);
            y[yOff + i] = acc;
        }
    }
}
