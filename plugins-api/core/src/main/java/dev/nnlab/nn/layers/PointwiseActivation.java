package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * An activation applied element by element to {@code (N, ...)}, whose derivative can be written in
 * terms of its output y (true of ReLU, LeakyReLU, ELU, sigmoid and tanh). So forward keeps only y,
 * backward reads it, and a subclass states just the function and its derivative.
 *
 * <p>Stability: stable for plugin authors.
 */
public abstract class PointwiseActivation implements Activation {
    private int[] shape;
    private int features;
    private Tensor y, dx;

    /** {@code y[i] = f(x[i])} for i in [0, n). */
    protected abstract void apply(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code dx[i] = dy[i] * f'(x[i])}, with f' expressed through {@code y[i] = f(x[i])}. */
    protected abstract void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    @Override
    public final int[] build(String name, int[] inputShape, Parameters.Builder params) {
        shape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        return inputShape.clone();
    }

    @Override
    public final Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, kind());
        y = BatchBuffers.reuse(y, n, shape);
        apply(n * features, x.data, x.offset, y.data, y.offset);
        return y;
    }

    @Override
    public final Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, kind());
        dx = BatchBuffers.reuse(dx, y.rows(), shape);
        derivative(y.size(), y.data, y.offset, dy.data, dy.offset, dx.data, dx.offset);
        return dx;
    }
}
