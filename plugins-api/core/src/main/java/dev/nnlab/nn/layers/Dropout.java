package dev.nnlab.nn.layers;

import dev.nnlab.nn.Range;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * Inverted dropout (Srivastava et al. 2014): in training each value of {@code (N, ...)} is zeroed
 * with probability p and the kept ones are scaled by {@code 1 / (1 - p)}, so the expected output
 * equals the input and evaluation is the plain identity (no rescaling at test time).
 *
 * <p>The mask, holding 0 or {@code 1 / (1 - p)} per value, is kept for backward:
 * {@code dx = mask * dy}. Masks come from a stream forked in {@link #initialize}, so adding a
 * dropout layer never shifts another layer's random draws.
 */
public final class Dropout implements Layer {
    /** The drop probability: at 1 nothing would pass and the 1 / (1 - p) scale would be infinite. */
    public static final Range P = Range.closedOpen(0, 1);
    private final float p;
    private final float scale;
    private Rng rng;
    private int[] shape;
    private int features;
    private Tensor mask, y, dx;

    /** {@code p}: the probability of dropping a value, in [0, 1). */
    public Dropout(float p) {
        P.require("dropout", "p", p);
        this.p = p;
        this.scale = 1f / (1f - p);
    }

    public float p() { return p; }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        shape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        return inputShape.clone();
    }

    @Override
    public void initialize(Rng rng) {
        this.rng = rng.fork(0);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, kind());
        y = BatchBuffers.reuse(y, n, shape);
        if (!training) {
            y.copyFrom(x);
            return y;
        }
        if (rng == null) throw new IllegalStateException("dropout: call initialize(Rng) before a training forward");
        mask = BatchBuffers.reuse(mask, n, shape);
        float[] m = mask.data;
        for (int i = 0, len = mask.size(); i < len; i++) m[i] = rng.nextDouble() < p ? 0f : scale;
        VectorOps.mul(mask.size(), x.data, x.offset, m, mask.offset, y.data, y.offset);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (mask == null) throw new IllegalStateException("dropout: backward called before a training forward");
        BatchBuffers.sameSize(dy, mask, kind());
        dx = BatchBuffers.reuse(dx, mask.rows(), shape);
        VectorOps.mul(mask.size(), dy.data, dy.offset, mask.data, mask.offset, dx.data, dx.offset);
        return dx;
    }

    @Override
    public String kind() { return "dropout"; }
}
