package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * {@code y = 1 / (1 + e^-x)}, element-wise on {@code (N, ...)}. Keeps y: {@code dy/dx = y (1 - y)}.
 * Saturated outside (0.05, 0.95), where the derivative is below 0.05.
 */
public final class Sigmoid implements Activation {
    private int[] shape;
    private int features;
    private Tensor y, dx;

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        shape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        return inputShape.clone();
    }

    /** The logistic function in a form whose exponent is never positive, so e^|x| cannot overflow. */
    public static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, kind());
        y = BatchBuffers.reuse(y, n, shape);
        float[] xs = x.data, ys = y.data;
        for (int i = 0, xo = x.offset, yo = y.offset, len = n * features; i < len; i++) {
            ys[yo + i] = sigmoid(xs[xo + i]);
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
            d[i] = g[go + i] * v * (1f - v);
        }
        return dx;
    }

    /** Never "dead" in the ReLU sense: a unit that stops learning is saturated instead. */
    @Override
    public boolean inactive(float y) { return false; }

    @Override
    public boolean saturated(float y) { return y < 0.05f || y > 0.95f; }

    @Override
    public String kind() { return "sigmoid"; }
}
