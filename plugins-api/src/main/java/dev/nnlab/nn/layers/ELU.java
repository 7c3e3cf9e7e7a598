package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * Exponential linear unit (Clevert et al. 2015): {@code y = x > 0 ? x : alpha (e^x - 1)},
 * element-wise on {@code (N, ...)}, alpha default 1. Keeps y: on the negative side
 * {@code dy/dx = alpha e^x = y + alpha}, so the exponential is not evaluated twice.
 */
public final class ELU implements Activation {
    private final float alpha;
    private int[] shape;
    private int features;
    private Tensor y, dx;

    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        if (!(alpha >= 0f) || Float.isInfinite(alpha)) {
            throw new IllegalArgumentException("elu alpha must be finite and >= 0, got " + alpha);
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
            // expm1 keeps e^x - 1 accurate for x near 0, where e^x rounds to 1.
            ys[yo + i] = v > 0f ? v : (float) (alpha * Math.expm1(v));
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, kind());
        dx = BatchBuffers.reuse(dx, y.rows(), shape);
        float[] ys = y.data, g = dy.data, d = dx.data;
        for (int i = 0, yo = y.offset, go = dy.offset, len = y.size(); i < len; i++) {
            float v = ys[yo + i];
            d[i] = v > 0f ? g[go + i] : g[go + i] * (v + alpha);
        }
        return dx;
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public String kind() { return "elu"; }
}
