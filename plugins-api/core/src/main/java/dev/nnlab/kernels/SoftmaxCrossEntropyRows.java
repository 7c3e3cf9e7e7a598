package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax cross-entropy over rows of logits, fused with its gradient: for each row r with target
 * {@code y} (rows whose target is the ignore id get a zero gradient and no loss) it adds
 * {@code logsumexp(x_r) - x_r[y]} to the loss and writes {@code (softmax(x_r) - onehot(y)) * scale}
 * to the gradient, which may be the logits array itself (in place: a language model's 10,000-wide
 * decoder output then makes one trip through memory instead of three).
 *
 * <p>Each row is read three times while it sits in L2 (a 10k-wide row is 40 KB): the max, the
 * exponentials summed and stored, the stored exponentials scaled into the gradient (one
 * exponential per logit: computing them again for the gradient was half of the loss's time). The exponentials are {@link LaneMath#expNonPositive} of
 * x - max (the same bits in every JIT tier, within 2 ulp of Math.exp; a term below 1.2e-38 counts 0); sums run in float per vector lane and are added in double
 * across lanes. Rows are split over {@link Parallelism#threads()} when the call is large.
 * {@link SoftmaxCrossEntropyRowsReference} is the scalar twin the tests compare against.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class SoftmaxCrossEntropyRows {
    private SoftmaxCrossEntropyRows() {}

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final boolean SCALAR = !VectorWidth.VECTORIZED;
    /** Below this many logits a call stays on the caller's thread (waking a worker costs microseconds). */
    static final long PARALLEL_MIN_VALUES = 1 << 16;

    /** What one call found: the summed loss of its counted rows and how many of them had the target as first arg-max. */
    public record Totals(double lossSum, int correct) {}

    /**
     * @param x       logits, row r at {@code xOff + r * cols}
     * @param targets one class per row ({@code targets[r]}), or {@code ignore}; every other value must lie in [0, cols)
     * @param scale   the gradient's factor, 1/(counted rows) for a mean loss
     * @param g       the gradient, row r at {@code gOff + r * cols}; may be x with gOff == xOff
     */
    public static Totals lossAndGradient(int rows, int cols, float[] x, int xOff, int[] targets, int ignore, float scale,
                                         float[] g, int gOff) {
        if (SCALAR) return SoftmaxCrossEntropyRowsReference.lossAndGradient(rows, cols, x, xOff, targets, ignore, scale, g, gOff);
        int threads = Parallelism.threads();
        int tasks = threads <= 1 || WorkerPool.onWorkerThread() || (long) rows * cols < PARALLEL_MIN_VALUES ? 1 : Math.min(threads, rows);
        if (tasks == 1) return range(0, rows, cols, x, xOff, targets, ignore, scale, g, gOff);
        Totals[] parts = new Totals[tasks];
        Parallelism.pool().invokeAll(tasks, t -> {
            int from = (int) ((long) rows * t / tasks), to = (int) ((long) rows * (t + 1) / tasks);
            parts[t] = range(from, to, cols, x, xOff, targets, ignore, scale, g, gOff);
        });
        double loss = 0;
        int correct = 0;
        for (Totals p : parts) {
            loss += p.lossSum;
            correct += p.correct;
        }
        return new Totals(loss, correct);
    }

    private static Totals range(int from, int to, int cols, float[] x, int xOff, int[] targets, int ignore, float scale,
                                float[] g, int gOff) {
        double loss = 0;
        int correct = 0;
        for (int r = from; r < to; r++) {
            int xo = xOff + r * cols, go = gOff + r * cols, y = targets[r];
            if (y == ignore) {
                java.util.Arrays.fill(g, go, go + cols, 0f);
                continue;
            }
            float m = VectorOps.max(cols, x, xo);
            float ty = x[xo + y];
            // Before g (which may be x) is written.
            if (ty == m && firstIndexOf(m, x, xo, y) == y) correct++;
            double s = expSum(cols, x, xo, m, g, go);
            loss += ((double) m - ty) + Math.log(s);
            VectorOps.scale(cols, (float) (scale / s), g, go);
            g[go + y] -= scale;
        }
        return new Totals(loss, correct);
    }

    /**
     * sum_c exp(x[xo + c] - m), lanes in float, the lanes added in double; each term is stored to
     * g[go + c] (g may alias x), so the gradient is one multiply away and each logit costs one exp.
     */
    private static double expSum(int cols, float[] x, int xo, float m, float[] g, int go) {
        FloatVector vm = FloatVector.broadcast(S, m);
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int c = 0;
        for (int bound = cols - 2 * L; c <= bound; c += 2 * L) {
            FloatVector e0 = LaneMath.expNonPositive(FloatVector.fromArray(S, x, xo + c).sub(vm));
            FloatVector e1 = LaneMath.expNonPositive(FloatVector.fromArray(S, x, xo + c + L).sub(vm));
            e0.intoArray(g, go + c);
            e1.intoArray(g, go + c + L);
            s0 = s0.add(e0);
            s1 = s1.add(e1);
        }
        for (int bound = S.loopBound(cols); c < bound; c += L) {
            FloatVector e0 = LaneMath.expNonPositive(FloatVector.fromArray(S, x, xo + c).sub(vm));
            e0.intoArray(g, go + c);
            s0 = s0.add(e0);
        }
        double s = 0;
        FloatVector sum = s0.add(s1);
        for (int i = 0; i < L; i++) s += sum.lane(i);
        for (; c < cols; c++) {
            double e = Math.exp(x[xo + c] - m);
            s += e;
            g[go + c] = (float) e;
        }
        return s;
    }

    /** The first c < limit with x[xo + c] == v, else limit (the arg-max on ties is the first). */
    private static int firstIndexOf(float v, float[] x, int xo, int limit) {
        for (int c = 0; c < limit; c++) if (x[xo + c] == v) return c;
        return limit;
    }
}
