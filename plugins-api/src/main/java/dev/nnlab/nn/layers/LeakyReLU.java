package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * {@code y = x > 0 ? x : alpha x}, element-wise on {@code (N, ...)}, with a fixed slope alpha
 * (default 0.01, Maas et al. 2013) so negative inputs still pass a small gradient. alpha >= 0
 * keeps y positive exactly where x is, so backward reads y instead of keeping the input.
 */
public final class LeakyReLU implements Activation {
    private final float alpha;
    private int[] shape;
    private int features;
    private Tensor y, dx;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float alpha) {
        if (!(alpha >= 0f) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("leaky relu alpha must be finite and >= 0, got " + alpha);
        }
        this.alpha = alpha;
    }

    public float alpha() { return alpha; }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        shape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        return inputShape.clone();
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, kind());
        y = BatchBuffers.reuse(y, n, shape);
        float[] xs = x.data, ys = y.data;
        for (int i = 0, xo = x.offset, yo = y.offset, len = n * features; i < len; i++) {
            float v = xs[xo + i];
            ys[yo + i] = v > 0f ? v : alpha * v;
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, kind());
        dx = BatchBuffers.reuse(dx, y.rows(), shape);
        float[] ys = y.data, g = dy.data, d = dx.data;
        for (int i = 0, yo = y.offset, go = dy.offset, len = y.size(); i < len; i++) {
            d[i] = ys[yo + i] > 0f ? g[go + i] : alpha * g[go + i];
        }
        return dx;
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public String kind() { return "leakyrelu"; }
}
