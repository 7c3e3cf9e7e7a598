package dev.nnlab.nn.layers;

import dev.nnlab.nn.Range;
import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Maxout (Goodfellow et al. 2013): input {@code (N, k*m)} (trailing dimensions flattened) to output
 * {@code (N, m)}, each output the maximum of its k pieces. Usually preceded by a
 * {@code Dense(k*m)}, which makes each unit a learned convex piecewise-linear function.
 *
 * <p>Grouping: pieces are contiguous, as in pylearn2's reference implementation: unit j takes
 * inputs {@code j*k ... j*k + k-1} of each row. Ties go to the first piece. The winning index is
 * kept for backward, which routes each dy to that piece alone.
 *
 * <p>Counted in the ReLU family for the dead-unit statistic (a ReLU is maxout with one piece fixed
 * at 0), with the default {@code y <= 0} as "not firing".
 */
public final class Maxout implements Activation {
    /** Linear pieces per unit. */
    public static final Range PIECES = Range.atLeast(1);
    private final int pieces;
    private int[] inputShape;
    private int features, units;
    private int[] argmax = new int[0];
    private Tensor y, dx;

    /** {@code pieces}: the k inputs each output unit takes the maximum over. */
    public Maxout(int pieces) {
        PIECES.require("maxout", "pieces", pieces);
        this.pieces = pieces;
    }

    public int pieces() { return pieces; }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.inputShape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        if (features % pieces != 0) {
            throw new IllegalArgumentException(name + ": maxout with " + pieces + " pieces needs a feature count"
                    + " divisible by " + pieces + ", got " + features + " from " + Arrays.toString(inputShape));
        }
        units = features / pieces;
        return new int[] {units};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, kind());
        y = BatchBuffers.reuse(y, n, units);
        if (argmax.length != n * units) argmax = new int[n * units];
        float[] xs = x.data, ys = y.data;
        for (int r = 0, o = 0; r < n; r++) {
            int row = x.offset + r * features;
            for (int j = 0; j < units; j++, o++) {
                int first = j * pieces, best = first;
                float max = xs[row + first];
                for (int p = first + 1; p < first + pieces; p++) {
                    if (xs[row + p] > max) {
                        max = xs[row + p];
                        best = p;
                    }
                }
                ys[y.offset + o] = max;
                argmax[o] = best;
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, kind());
        int n = y.rows();
        dx = BatchBuffers.reuse(dx, n, inputShape);
        dx.fill(0f);
        float[] g = dy.data, d = dx.data;
        for (int r = 0, o = 0; r < n; r++) {
            int row = dx.offset + r * features;
            for (int j = 0; j < units; j++, o++) d[row + argmax[o]] = g[dy.offset + o];
        }
        return dx;
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public String kind() { return "maxout"; }
}
