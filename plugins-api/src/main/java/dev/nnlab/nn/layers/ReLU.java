package dev.nnlab.nn.layers;

import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * {@code y = max(x, 0)}, element-wise on {@code (N, ...)}. Keeps y, which is positive exactly
 * where x is, so backward needs no copy of the input. A unit is inactive when {@code y == 0}.
 */
public final class ReLU implements Activation {
    private int[] shape;
    private int features;
    private Tensor y, dx;

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
        VectorOps.relu(n * features, x.data, x.offset, y.data, y.offset);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, kind());
        dx = BatchBuffers.reuse(dx, y.rows(), shape);
        VectorOps.reluBackward(y.size(), y.data, y.offset, dy.data, dy.offset, dx.data, dx.offset);
        return dx;
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public boolean inactive(float y) { return y == 0f; }

    @Override
    public String kind() { return "relu"; }
}
